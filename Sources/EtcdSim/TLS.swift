/// TLS as the course needs it: certificates and keys as files that know who they are, and the
/// outcome of a handshake between a client's files and a server's (transcript 09 of the reference).
public struct Certificate: Equatable, Sendable {
  /// The subject's common name (`etcd-server`, `kube-etcd-healthcheck-client`, a CA's name).
  public var subject: String
  /// The common name of the CA that signed it (itself for a CA).
  public var issuer: String
  /// Which key pair it certifies: the matching private key file holds the same id.
  public var keyID: String
  public var isCA: Bool
  /// Subject alternative names (DNS names and IP addresses) of a server certificate.
  public var sans: [String]
  public var serverAuth: Bool
  public var clientAuth: Bool

  public init(subject: String, issuer: String, keyID: String, isCA: Bool = false, sans: [String] = [], serverAuth: Bool = false, clientAuth: Bool = false) {
    self.subject = subject
    self.issuer = issuer
    self.keyID = keyID
    self.isCA = isCA
    self.sans = sans
    self.serverAuth = serverAuth
    self.clientAuth = clientAuth
  }

  /// The PEM text `cat` shows: stable for the same certificate.
  public var pem: String { TLSText.pem("CERTIFICATE", seed: "cert:\(subject):\(issuer):\(keyID):\(sans.joined(separator: ","))", lines: 18) }
  public static func keyPEM(_ keyID: String) -> String { TLSText.pem("PRIVATE KEY", seed: "key:\(keyID)", lines: 26) }
}

/// A server's TLS for its client URLs: `--cert-file`, `--key-file`, `--trusted-ca-file`, `--client-cert-auth`.
public struct ServerTLS: Equatable, Sendable {
  public var cert: Certificate
  public var trustedCA: Certificate?
  public var clientCertAuth: Bool
}

/// What a client brings to a connection: TLS or not, the CA it trusts, its certificate (whose key
/// it holds), and whether it skips checking the server.
public struct ClientTLS: Equatable, Sendable {
  public var secure: Bool
  public var trustedCA: Certificate?
  public var cert: Certificate?
  public var skipVerify: Bool

  public init(secure: Bool = false, trustedCA: Certificate? = nil, cert: Certificate? = nil, skipVerify: Bool = false) {
    self.secure = secure
    self.trustedCA = trustedCA
    self.cert = cert
    self.skipVerify = skipVerify
  }

  public static let plain = ClientTLS()
}

/// Why a connection to a client URL failed, as each side reports it.
public enum HandshakeFailure: Equatable, Sendable {
  /// Plain text to a TLS port.
  case plainToTLS
  /// TLS to a plain port.
  case tlsToPlain
  /// The server's certificate is not signed by the CA the client trusts (or by none it knows).
  case unknownServerAuthority
  /// The server wants a client certificate and got none.
  case noClientCertificate
  /// The client's certificate is not signed by the server's trusted CA.
  case unknownClientAuthority
  /// The server's certificate does not name the address the client dialled (Go's x509 text).
  case hostMismatch(String)

  /// What the server logs (`embed: rejected connection from ... (error "...")`), if anything.
  public var serverLog: String? {
    switch self {
    case .plainToTLS: "tls: first record does not look like a TLS handshake"
    case .tlsToPlain: nil
    case .unknownServerAuthority, .hostMismatch: "remote error: tls: bad certificate"
    case .noClientCertificate: "tls: client didn't provide a certificate"
    case .unknownClientAuthority: "tls: failed to verify client certificate: x509: certificate signed by unknown authority"
    }
  }

  /// The cause etcdctl's balancer names (endpoint status prints it).
  public var balancerCause: String {
    switch self {
    case .plainToTLS: "connection closed"
    case .tlsToPlain: "connection error: desc = \"transport: authentication handshake failed: tls: first record does not look like a TLS handshake\""
    case .unknownServerAuthority: "connection error: desc = \"transport: authentication handshake failed: x509: certificate signed by unknown authority\""
    case .hostMismatch(let why): "connection error: desc = \"transport: authentication handshake failed: \(why)\""
    case .noClientCertificate, .unknownClientAuthority: "connection closed"
    }
  }
}

public enum TLSHandshake {
  /// The outcome of a client connecting to a listener; nil when it succeeds.
  public static func failure(client: ClientTLS, server: ServerTLS?, serverName: String) -> HandshakeFailure? {
    guard let server else { return client.secure ? .tlsToPlain : nil }
    guard client.secure else { return .plainToTLS }
    if !client.skipVerify {
      guard let ca = client.trustedCA, ca.isCA, server.cert.issuer == ca.subject else { return .unknownServerAuthority }
      if let why = hostMismatch(server.cert, serverName) { return .hostMismatch(why) }
    }
    guard server.clientCertAuth else { return nil }
    guard let cert = client.cert else { return .noClientCertificate }
    guard let trusted = server.trustedCA, cert.issuer == trusted.subject, cert.clientAuth else { return .unknownClientAuthority }
    return nil
  }
}

extension TLSHandshake {
  /// Go's `VerifyHostname`: an IP address must be among the IP SANs, a name among the DNS SANs.
  static func hostMismatch(_ cert: Certificate, _ host: String) -> String? {
    let isIP = !host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." }
    let ips = cert.sans.filter { $0.allSatisfy { $0.isNumber || $0 == "." } }
    let names = cert.sans.filter { !ips.contains($0) }
    if isIP {
      if ips.contains(host) { return nil }
      if ips.isEmpty { return "x509: cannot validate certificate for \(host) because it doesn't contain any IP SANs" }
      return "x509: certificate is valid for \(ips.joined(separator: ", ")), not \(host)"
    }
    if names.contains(host) { return nil }
    if names.isEmpty { return "x509: certificate is not valid for any names, but wanted to match \(host)" }
    return "x509: certificate is valid for \(names.joined(separator: ", ")), not \(host)"
  }
}

/// A set of certificates as kubeadm lays them out under `/etc/kubernetes/pki/etcd`, or a lone CA
/// with client certificates: what a setup's `pki` entry places on hosts.
public struct PKISetup: Decodable, Equatable, Sendable {
  /// Where the files go (`ca.crt`, `ca.key`, then `<name>.crt`/`<name>.key` per certificate).
  public var dir: String
  /// The CA's common name.
  public var ca: String
  /// Certificates to issue: `server` and `peer` (server and client auth, with the SANs), any
  /// other name a client certificate. Default: kubeadm's `server`, `peer`, `healthcheck-client`.
  public var certs: [String]?
  /// SANs of server certificates; default: `localhost`, `127.0.0.1` and every address of every host.
  public var sans: [String]?
  /// Hosts that get the files; default every host.
  public var hosts: [String]?

  public init(dir: String, ca: String, certs: [String]? = nil, sans: [String]? = nil, hosts: [String]? = nil) {
    self.dir = dir
    self.ca = ca
    self.certs = certs
    self.sans = sans
    self.hosts = hosts
  }

  /// The files, by path.
  public func files(defaultSANs: [String]) -> [(String, FileSystem.Content)] {
    let caCert = Certificate(subject: ca, issuer: ca, keyID: ca + "/ca", isCA: true)
    var out: [(String, FileSystem.Content)] = [(dir + "/ca.crt", .certificate(caCert)), (dir + "/ca.key", .privateKey(caCert.keyID))]
    for name in certs ?? ["server", "peer", "healthcheck-client"] {
      let server = name == "server" || name == "peer"
      let subject = name == "healthcheck-client" ? "kube-etcd-healthcheck-client" : server ? "etcd-" + name : name
      let cert = Certificate(subject: subject, issuer: ca, keyID: ca + "/" + name, sans: server ? (sans ?? defaultSANs) : [],
                             serverAuth: server, clientAuth: true)
      out.append((dir + "/" + name + ".crt", .certificate(cert)))
      out.append((dir + "/" + name + ".key", .privateKey(cert.keyID)))
    }
    return out
  }
}

enum TLSText {
  /// A PEM block of base64-looking text derived from `seed` (no real key material).
  static func pem(_ label: String, seed: String, lines: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var x: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in seed.utf8 { x = (x ^ UInt64(b)) &* 0x100_0000_01b3 }
    var body = ""
    for l in 0..<lines {
      var line = ""
      for _ in 0..<(l == lines - 1 ? 44 : 64) {
        x = x &* 6364136223846793005 &+ 1442695040888963407
        line.append(alphabet[Int(x >> 58)])
      }
      body += line + "\n"
    }
    return "-----BEGIN \(label)-----\n" + body + "-----END \(label)-----\n"
  }
}
