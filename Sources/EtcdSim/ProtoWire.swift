/// Protocol-buffer wire encoding: what `-w protobuf` prints and what the backend stores
/// (`mvccpb.KeyValue`). Zero varints and empty bytes are left out, as proto3 does.
public enum ProtoWire {
  public static func varint(_ v: UInt64) -> [UInt8] {
    var v = v
    var out: [UInt8] = []
    repeat {
      var b = UInt8(v & 0x7F)
      v >>= 7
      if v != 0 { b |= 0x80 }
      out.append(b)
    } while v != 0
    return out
  }

  public static func field(_ n: Int, varint v: UInt64) -> [UInt8] { v == 0 ? [] : varint(UInt64(n << 3)) + varint(v) }

  public static func field(_ n: Int, bytes: [UInt8]) -> [UInt8] { varint(UInt64(n << 3 | 2)) + varint(UInt64(bytes.count)) + bytes }
}
