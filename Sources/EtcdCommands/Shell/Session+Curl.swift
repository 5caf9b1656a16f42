import EtcdSim

/// `curl` (7.88, OpenSSL 3.0, as on Debian 12) of an etcd member's `/health` and `/version`, with
/// and without TLS files, answering and failing as transcript 09 of the reference shows.
extension Session {
  mutating func curl(_ args: [String], io: inout IO) -> Int32 {
    var silent = false, showErrors = false, insecure = false, fail = false
    var cacert: String?, cert: String?, key: String?
    var urls: [String] = []
    // Bundled short options (-sS, -sSk) one by one, each remembering how it was typed for errors.
    let opts: [(flag: String, typed: String)] = args.flatMap { a -> [(String, String)] in
      a.hasPrefix("-") && !a.hasPrefix("--") && a.count > 2 ? a.dropFirst().map { ("-\($0)", a) } : [(a, a)]
    }
    var i = 0
    func value() -> String? {
      i += 1
      return i < opts.count ? opts[i].flag : nil
    }
    while i < opts.count {
      let (a, typed) = opts[i]
      switch a {
      case "--cacert": cacert = value()
      case "--cert", "-E": cert = value()
      case "--key": key = value()
      case "-m", "--max-time", "--connect-timeout", "-X", "--request", "-H", "--header", "-o", "--output": _ = value()
      case "-k", "--insecure": insecure = true
      case "-s", "--silent": silent = true
      case "-S", "--show-error": showErrors = true
      case "-f", "--fail": fail = true
      case "-L", "--location", "-v", "--verbose", "-i", "--include": break
      default:
        if a.hasPrefix("-") && a.count > 1 {
          io.err("curl: option \(typed): is unknown")
          io.err("curl: try 'curl --help' or 'curl --manual' for more information")
          return 2
        }
        urls.append(a)
      }
      i += 1
    }
    let loud = !silent || showErrors
    func failure(_ code: Int32, _ text: String) -> Int32 {
      if loud { io.err("curl: (\(code)) \(text)") }
      return code
    }
    guard let url = urls.first else {
      if loud {
        io.err("curl: no URL specified!")
        io.err("curl: try 'curl --help' or 'curl --manual' for more information")
      }
      return 2
    }
    let secure = url.hasPrefix("https://")
    let rest = url.contains("://") ? String(url[url.range(of: "://")!.upperBound...]) : url
    let hostPort = String(rest.prefix { $0 != "/" })
    let path = rest.dropFirst(hostPort.count).isEmpty ? "/" : String(rest.dropFirst(hostPort.count))
    let parts = hostPort.split(separator: ":", omittingEmptySubsequences: false)
    // No host before the port (`http://:/`, `http://::/`): curl rejects the URL itself.
    guard let first = parts.first, !first.isEmpty, let last = parts.last else {
      return failure(3, "URL using bad/illegal format or missing URL")
    }
    let address = String(first)
    let port = parts.count > 1 ? String(last) : (secure ? "443" : "80")

    // The client's files.
    let fs = world.host(host)?.fs ?? FileSystem()
    var client = ClientTLS(secure: secure, skipVerify: insecure)
    if let cacert {
      guard case .certificate(let ca)? = fs.content(self.path(cacert)) else {
        return failure(77, "error setting certificate file: \(cacert)")
      }
      client.trustedCA = ca
    }
    if let cert {
      guard case .certificate(let c)? = fs.content(self.path(cert)) else {
        return failure(58, "could not load PEM client certificate from \(cert), OpenSSL error error:80000002:system library::No such file or directory, (no key found, wrong pass phrase, or wrong file format?)")
      }
      guard case .privateKey(let k)? = fs.content(self.path(key ?? cert)), k == c.keyID else {
        return failure(58, "unable to set private key file: '\(key ?? cert)' type PEM")
      }
      client.cert = c
    }

    world.advance(by: 2)
    guard let index = world.listenerIndex(address + ":" + port, from: host, peer: false) else {
      return failure(7, "Failed to connect to \(address) port \(port) after 0 ms: Couldn't connect to server")
    }
    if let f = world.handshake(url, tls: client, process: index) {
      world.rejectConnection(process: index, f)
      switch f {
      case .unknownServerAuthority, .hostMismatch:
        if loud {
          if case .hostMismatch = f {
            io.err("curl: (60) SSL: no alternative certificate subject name matches target host name '\(address)'")
          } else {
            io.err("curl: (60) SSL certificate problem: unable to get local issuer certificate")
          }
          io.err("More details here: https://curl.se/docs/sslcerts.html")
          io.err("")
          io.err("curl failed to verify the legitimacy of the server and therefore could not")
          io.err("establish a secure connection to it. To learn more about this situation and")
          io.err("how to fix it, please visit the web page mentioned above.")
        }
        return 60
      case .noClientCertificate:
        return failure(56, "OpenSSL SSL_read: OpenSSL/3.0.19: error:0A000412:SSL routines::sslv3 alert bad certificate, errno 0")
      case .unknownClientAuthority:
        return failure(55, "getpeername() failed with errno 107: Transport endpoint is not connected")
      case .plainToTLS:
        return failure(52, "Empty reply from server")
      case .tlsToPlain:
        return failure(35, "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number")
      }
    }
    guard let e = world.processes[index].etcd, e.readyAt != nil else {
      return failure(52, "Empty reply from server")
    }
    let cluster = world.clusters[e.clusterID]
    switch path {
    case "/health":
      let healthy = world.canCommit(e.clusterID)
      if fail && !healthy { return failure(22, "The requested URL returned error: 503") }
      io.write(Array("{\"health\":\"\(healthy)\"}".utf8))
    case "/version":
      let clusterVersion = cluster?.version.map { $0 + ".0" } ?? "not_decided"
      io.write(Array("{\"etcdserver\":\"\(e.version)\",\"etcdcluster\":\"\(clusterVersion)\"}".utf8))
    default:
      if fail { return failure(22, "The requested URL returned error: 404") }
      io.out("404 page not found")
    }
    return 0
  }
}
