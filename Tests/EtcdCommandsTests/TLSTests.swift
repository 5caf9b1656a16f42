import EtcdCommands
import EtcdSim
import Testing

/// A world whose members serve clients over TLS with client-certificate auth, as kubeadm sets up
/// etcd: the files under /etc/kubernetes/pki/etcd on every host.
@Suite struct TLSTests {
  static let pki = "/etc/kubernetes/pki/etcd"
  static let certs = "--cacert=\(pki)/ca.crt --cert=\(pki)/healthcheck-client.crt --key=\(pki)/healthcheck-client.key"

  static func world() -> Session {
    var setup = WorldSetup.kubeadmTLS()
    setup.pki?.append(PKISetup(dir: "/root/other-ca", ca: "other-ca", certs: ["client"], hosts: ["infra0"]))
    return Session(world: World(setup: setup, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
  }

  @Test func theSetupPlacesKubeadmsFilesAndStartsMembersWithTLS() {
    var s = Self.world()
    #expect(s.text("ls \(Self.pki)").0 == "ca.crt\nca.key\nhealthcheck-client.crt\nhealthcheck-client.key\npeer.crt\npeer.key\nserver.crt\nserver.key\n")
    #expect(s.text("cat \(Self.pki)/ca.crt | head -1").0 == "-----BEGIN CERTIFICATE-----\n")
    #expect(s.text("grep -c -- '--client-cert-auth=true' /etc/systemd/system/etcd.service").0 == "1\n")
  }

  @Test func etcdctlNeedsAllThreeFilesAndTheRightOnes() {
    var s = Self.world()
    let plain = s.text("etcdctl --endpoints=https://127.0.0.1:2379 member list")
    #expect(plain.1 == 1 && plain.0.hasSuffix("Error: context deadline exceeded\n"))
    #expect(plain.0.contains("all SubConns are in TransientFailure"))
    let good = s.text("etcdctl --endpoints=https://127.0.0.1:2379 \(Self.certs) member list")
    #expect(good.1 == 0 && good.0.contains(", started, infra0, http://10.0.1.10:2380, https://10.0.1.10:2379, false"))
    #expect(s.text("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(Self.pki)/ca.crt member list").1 == 1)
    #expect(s.text("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/root/other-ca/ca.crt --cert=\(Self.pki)/server.crt --key=\(Self.pki)/server.key member list").1 == 1)
    #expect(s.text("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(Self.pki)/ca.crt --cert=/root/other-ca/client.crt --key=/root/other-ca/client.key member list").1 == 1)
    #expect(s.text("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(Self.pki)/ca.crt --cert=\(Self.pki)/server.key --key=\(Self.pki)/server.crt member list")
      == ("Error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched\n", 128))
    #expect(s.text("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(Self.pki)/ca.crt --cert=\(Self.pki)/server.crt --key=\(Self.pki)/peer.key member list")
      == ("Error: tls: private key does not match public key\n", 128))
    #expect(s.text("etcdctl --endpoints=https://127.0.0.1:2379 --insecure-skip-tls-verify --cert=\(Self.pki)/server.crt --key=\(Self.pki)/server.key member list").1 == 0)
    // The server logs every refused connection with its cause.
    let log = s.text("journalctl -u etcd | grep -c 'rejected connection'").0
    #expect(log != "0\n")
  }

  @Test func theClassicBackupTaskWorksWithTheCertificates() {
    var s = Self.world()
    _ = s.run("etcdctl --endpoints=https://127.0.0.1:2379 \(Self.certs) put answer 42")
    let (out, status) = s.text("ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(Self.pki)/ca.crt --cert=\(Self.pki)/server.crt --key=\(Self.pki)/server.key snapshot save /opt/etcd-backup.db")
    #expect(status == 0 && out.hasSuffix("Snapshot saved at /opt/etcd-backup.db\n"))
    let hang = s.text("etcdctl --endpoints=https://127.0.0.1:2379 snapshot save /opt/x.db")
    #expect(hang.1 == 143)
    _ = s.run("etcdctl snapshot restore /opt/etcd-backup.db --data-dir /var/lib/etcd-from-backup")
    #expect(s.text("ls /var/lib/etcd-from-backup/member").0 == "snap\nwal\n")
  }

  @Test func curlChecksHealthAndVersionWithTheFiles() {
    var s = Self.world()
    let k = "--cacert \(Self.pki)/ca.crt --cert \(Self.pki)/healthcheck-client.crt --key \(Self.pki)/healthcheck-client.key"
    #expect(s.text("curl -sS \(k) https://10.0.1.10:2379/health") == ("{\"health\":\"true\"}", 0))
    #expect(s.text("curl -sS \(k) https://10.0.1.10:2379/version") == ("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}", 0))
    #expect(s.text("curl -sS https://10.0.1.10:2379/health").1 == 60)
    #expect(s.text("curl -sS --cacert \(Self.pki)/ca.crt https://10.0.1.10:2379/health").1 == 56)
    #expect(s.text("curl -sS http://10.0.1.10:2379/health") == ("curl: (52) Empty reply from server\n", 52))
    _ = s.run("ssh infra1 systemctl stop etcd; ssh infra2 systemctl stop etcd; sleep 5")
    #expect(s.text("curl -sS \(k) https://10.0.1.10:2379/health") == ("{\"health\":\"false\"}", 0))
  }

  @Test func aServerCertificateMustNameTheAddressDialled() {
    // Captured from etcd 3.4.23 and curl 7.88 with a certificate for 127.0.0.1 and 127.0.0.10 only.
    var s = Session(world: World(setup: .kubeadmTLS(sans: ["localhost", "127.0.0.1", "10.0.1.10"]), seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    #expect(s.text("etcdctl --endpoints=https://10.0.1.10:2379 \(Self.certs) endpoint status").1 == 0)
    let (out, status) = s.text("etcdctl --endpoints=https://10.0.1.11:2379 \(Self.certs) endpoint status")
    #expect(status == 1)
    #expect(out.contains("\"error\":\"rpc error: code = DeadlineExceeded desc = latest balancer error: connection error: desc = \\\"transport: authentication handshake failed: x509: certificate is valid for 127.0.0.1, 10.0.1.10, not 10.0.1.11\\\"\"}"))
    #expect(s.text("etcdctl --endpoints=https://localhost:2379 \(Self.certs) member list").1 == 0)
    let k = "--cacert \(Self.pki)/ca.crt --cert \(Self.pki)/healthcheck-client.crt --key \(Self.pki)/healthcheck-client.key"
    let curl = s.text("curl -sS \(k) https://10.0.1.12:2379/health")
    #expect(curl.1 == 60 && curl.0.hasPrefix("curl: (60) SSL: no alternative certificate subject name matches target host name '10.0.1.12'\nMore details here: https://curl.se/docs/sslcerts.html\n"))
    #expect(s.text("curl -sSk \(k) https://10.0.1.12:2379/health").1 == 0)
  }

  @Test func anHTTPSClientURLNeedsACertificate() {
    var s = Sandbox.loopback()
    let (out, status) = s.text("etcd --name a --listen-client-urls https://127.0.0.10:2379 --advertise-client-urls https://127.0.0.10:2379 --listen-peer-urls http://127.0.0.10:2380 --initial-advertise-peer-urls http://127.0.0.10:2380 --initial-cluster a=http://127.0.0.10:2380")
    #expect(status == 1)
    #expect(out.contains("C | etcdmain: TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.10:2379 with HTTPS scheme"))
  }
}
