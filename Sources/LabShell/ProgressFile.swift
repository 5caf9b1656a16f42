import Foundation
import LabKit

#if canImport(Glibc)
  import Glibc
#endif

/// Progress in `DIR/progress.json`. Every update takes an advisory lock (`DIR/.progress.lock`),
/// reads the file afresh, applies the change and writes a temporary file in the same folder that
/// is fsynced and renamed over the old one (`rename(2)`), so a save is whole or absent and two
/// etcdlab processes saving at once both keep their labs. A file that cannot be read as progress
/// is set aside under a dated name, never replaced; a folder in its place is left alone.
public struct ProgressFile: ProgressStore, Sendable {
  public let directory: URL

  public init(directory: URL) { self.directory = directory }

  /// `$ETCDLAB_HOME` (default `~/.local/share/etcdlab`).
  public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressFile {
    if let home = environment["ETCDLAB_HOME"], !home.isEmpty { return ProgressFile(directory: URL(fileURLWithPath: home)) }
    return ProgressFile(directory: FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/etcdlab"))
  }

  public var url: URL { directory.appendingPathComponent("progress.json") }
  var path: String { url.path }

  public func load() -> (StudentProgress, notices: [String]) {
    let r = withLock { read() }
    return (r.progress, r.notices + [r.blocker].compactMap { $0 })
  }

  public func update(_ change: (inout StudentProgress) -> Void) -> ProgressSave {
    withLock {
      var r = read()
      change(&r.progress)
      return ProgressSave(progress: r.progress, notices: r.notices, failure: r.blocker ?? write(r.progress))
    }
  }

  // MARK: - Reading

  /// What is stored; `blocker` says why nothing may be written over what is there.
  struct Reading {
    var progress = StudentProgress()
    var notices: [String] = []
    var blocker: String?
  }

  /// The stored progress. A file that is not progress is set aside (with a notice) and empty
  /// progress returned; a folder in its place, or a file that cannot be set aside, blocks writing.
  func read() -> Reading {
    if isDirectory(path) {
      return Reading(blocker: "etcdlab: \(path) is a folder, not a progress file; progress is not saved until it is moved away (it was left as it is)")
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      if !FileManager.default.fileExists(atPath: path) { return Reading() }
      return setAside(because: "it cannot be read: \(Self.reason(error))")
    }
    switch StudentProgress.decode(data) {
    case .success(let p): return Reading(progress: p)
    case .failure(.corrupt(let why)):
      return setAside(because: data.isEmpty ? "it is empty" : "it is not etcdlab progress: \(why.prefix(80))")
    case .failure(.newerSchema(let v)):
      // Not corrupt: a newer etcdlab's. Left where that etcdlab will look for it, and not written.
      return Reading(blocker: "etcdlab: \(path) was written by a newer etcdlab (schema \(v)); it was left as it is and this sitting's progress is not saved")
    }
  }

  /// Moves the file to `progress.json.corrupt-YYYYMMDD-HHMMSS` (`-2`, `-3`, ... when that name is
  /// taken) without ever replacing another file, and says so in one line.
  func setAside(because why: String) -> Reading {
    let stamp = Self.stamp(Date())
    for n in 1...1000 {
      let aside = directory.appendingPathComponent("progress.json.corrupt-\(stamp)\(n == 1 ? "" : "-\(n)")")
      // link(2) fails when the name exists, so nothing set aside before is ever overwritten.
      if link(path, aside.path) == 0 {
        unlink(path)
        return Reading(notices: ["etcdlab: \(path) could not be used (\(why)); it was set aside as \(aside.lastPathComponent) and progress starts afresh"])
      }
      if errno != EEXIST { break }
    }
    let failure = String(cString: strerror(errno))
    return Reading(blocker: "etcdlab: \(path) could not be used (\(why)) nor set aside (\(failure)); it was left as it is and progress is not saved")
  }

  static func stamp(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "yyyyMMdd-HHmmss"
    return f.string(from: date)
  }

  // MARK: - Writing

  /// Writes `progress` whole: a temporary file in the same folder, fsync, rename over the old
  /// file, fsync of the folder. Returns why it failed, or nil.
  func write(_ progress: StudentProgress) -> String? {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      return "progress could not be saved: \(directory.path): \(Self.reason(error))"
    }
    let tmp = directory.appendingPathComponent(".progress.json.\(getpid()).tmp").path
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return "progress could not be saved: \(tmp): \(String(cString: strerror(errno)))" }
    let bytes = [UInt8](progress.encoded())
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        let why = String(cString: strerror(errno))
        close(fd)
        unlink(tmp)
        return "progress could not be saved: \(tmp): \(why)"
      }
      written += n
    }
    if fsync(fd) != 0 || close(fd) != 0 {
      let why = String(cString: strerror(errno))
      unlink(tmp)
      return "progress could not be saved: \(tmp): \(why)"
    }
    if rename(tmp, path) != 0 {
      let why = String(cString: strerror(errno))
      unlink(tmp)
      return "progress could not be saved: \(path): \(why)"
    }
    let dir = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
    return nil
  }

  // MARK: - Locking

  /// Runs `body` holding an exclusive `flock` on `DIR/.progress.lock` (best effort: a folder
  /// that cannot hold the lock file cannot hold progress either, and says so when written).
  func withLock<T>(_ body: () -> T) -> T {
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let fd = open(directory.appendingPathComponent(".progress.lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return body() }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    defer { flock(fd, LOCK_UN) }
    return body()
  }

  func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }

  /// The operating system's words for a Foundation file error.
  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(posix.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    switch CocoaError.Code(rawValue: ns.code) {
    case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
    case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
    case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
    default: return ns.localizedDescription
    }
  }
}
