// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "etcdlab",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "etcdlab", targets: ["etcdlab"]),
    .library(name: "EtcdSim", targets: ["EtcdSim"]),
    .library(name: "EtcdCommands", targets: ["EtcdCommands"]),
    .library(name: "LabKit", targets: ["LabKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    // The world: pure, deterministic, no I/O.
    .target(name: "EtcdSim", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    // Command lines: shell words, etcdctl / etcd parsing, output rendering.
    .target(name: "EtcdCommands", dependencies: ["EtcdSim"], resources: [.copy("Resources/help")]),
    // Labs: the YAML format, checks over the world and the event log, explanations, the step engine.
    .target(name: "LabKit", dependencies: ["EtcdSim", "EtcdCommands", "Yams"], resources: [.copy("Resources/explanations.yaml"), .copy("Resources/objectives.yaml"), .copy("Resources/messages.yaml")]),
    // GNU readline (libreadline-dev) and wcwidth, for LabShell only.
    .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
    // The terminal: line editing, completion, colour, the home and lab screens.
    .target(name: "LabShell", dependencies: ["LabKit", "EtcdCommands", "EtcdSim", "CReadline", "Yams"], resources: [.copy("Resources/strings.yaml")]),
    // Transcripts of real etcd replayed and compared: the golden tests and `etcdlab conform`
    // (the simulator, and real etcd in a private network namespace).
    // The world's hosts as real namespaces, and etcd, etcdctl and file commands as real processes
    // in them: `--backend real`.
    .target(name: "RealHosts", dependencies: ["EtcdCommands", "EtcdSim"], resources: [.copy("Resources/real-hosts.bash")]),
    .target(name: "Conformance", dependencies: ["EtcdCommands", "EtcdSim", "RealHosts"], resources: [.copy("Resources/relaxations.txt"), .copy("Resources/namespace-shell.bash")]),
    .executableTarget(
      name: "etcdlab",
      dependencies: [
        "EtcdSim", "EtcdCommands", "LabKit", "LabShell", "Yams", "Conformance", "RealHosts",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "etcdlab-bench", dependencies: ["EtcdSim", "EtcdCommands", "LabKit", "LabShell"]),
    // The fuzzer: command lines from the grammar etcdlab understands, mutated, run and shrunk.
    .target(name: "FuzzKit", dependencies: ["EtcdSim", "EtcdCommands"]),
    .executableTarget(
      name: "etcdlab-fuzz",
      dependencies: ["FuzzKit", "EtcdSim", "EtcdCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .testTarget(name: "EtcdSimTests", dependencies: ["EtcdSim"]),
    .testTarget(name: "FuzzKitTests", dependencies: ["FuzzKit", "EtcdSim"]),
    .testTarget(name: "LabShellTests", dependencies: ["LabShell", "LabKit", "EtcdCommands", "EtcdSim"]),
    .testTarget(name: "LabKitTests", dependencies: ["LabKit", "EtcdCommands", "EtcdSim"], exclude: ["Corpus"]),
    // The commands in process: the shell, etcdctl, etcd, the golden transcripts; nothing above EtcdCommands.
    .testTarget(name: "EtcdCommandsTests", dependencies: ["EtcdCommands", "EtcdSim", "Conformance"], exclude: ["Sessions"]),
    // The built `etcdlab` binary as students run it: piped, on a pseudo-terminal, the whole course.
    .testTarget(name: "EndToEndTests", dependencies: ["etcdlab", "LabKit"]),
    // Real etcd 3.4 in a private network namespace; only with ETCDLAB_REAL_ETCD=1 (.ci/run sets it).
    .testTarget(name: "RealEtcdTests", dependencies: ["Conformance", "RealHosts", "EtcdCommands", "EtcdSim"]),
  ]
)
