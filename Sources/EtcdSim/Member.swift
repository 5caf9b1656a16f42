/// A member as the cluster's membership records it.
public struct Member: Equatable, Sendable {
  public var id: UInt64
  /// Empty until the member has run once and published its attributes ("unstarted").
  public var name: String
  public var peerURLs: [String]
  public var clientURLs: [String]
  public var isLearner: Bool

  public init(id: UInt64, name: String = "", peerURLs: [String], clientURLs: [String] = [], isLearner: Bool = false) {
    self.id = id
    self.name = name
    self.peerURLs = peerURLs
    self.clientURLs = clientURLs
    self.isLearner = isLearner
  }

  /// etcd's notion of started: the member has a name.
  public var isStarted: Bool { !name.isEmpty }

  /// Go's `%+v` of `*Member`, as etcd's start-up errors print it.
  public var goDescription: String {
    "&{ID:\(Hex.string(id)) RaftAttributes:{PeerURLs:[\(peerURLs.joined(separator: " "))] IsLearner:\(isLearner)} Attributes:{Name:\(name) ClientURLs:[\(clientURLs.joined(separator: " "))]}}"
  }
}
