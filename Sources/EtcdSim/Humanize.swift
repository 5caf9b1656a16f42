/// go-humanize's `Bytes`: SI units, `20 kB`, `2.1 MB` — as etcd and etcdctl print sizes.
public enum Humanize {
  public static func bytes(_ n: Int) -> String {
    if n < 10 { return "\(n) B" }
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
    var e = 0
    var v = Double(n)
    while v >= 1000 && e < units.count - 1 { v /= 1000; e += 1 }
    let rounded = (v * 10).rounded(.down) / 10 + ((v * 10).truncatingRemainder(dividingBy: 1) >= 0.5 ? 0.1 : 0)
    if rounded < 10 {
      let tenths = Int((rounded * 10).rounded())
      return "\(tenths / 10).\(tenths % 10) \(units[e])"
    }
    return "\(Int(rounded.rounded(.toNearestOrEven))) \(units[e])"
  }
}
