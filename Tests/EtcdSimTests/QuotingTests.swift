import EtcdSim
import Testing

/// Go's two ways of quoting a string, each where etcd uses it.
@Suite struct QuotingTests {
  @Test func percentQKeepsPrintableTextAndEscapesTheRestAsGoDoes() {
    #expect(Go.quote("infra3") == "\"infra3\"")
    #expect(Go.quote("a<b>&c") == "\"a<b>&c\"")
    #expect(Go.quote("学习者 é") == "\"学习者 é\"")
    #expect(Go.quote("q\"\\\n\t\u{07}") == "\"q\\\"\\\\\\n\\t\\a\"")
    #expect(Go.quote("\u{01}\u{7F}") == "\"\\x01\\x7f\"")
    #expect(Go.quote("\u{A0}\u{200B}\u{1F600}") == "\"\\u00a0\\u200b\u{1F600}\"")
    #expect(Go.quote("\u{E000}\u{10FFFD}") == "\"\\ue000\\U0010fffd\"")
  }

  @Test func jsonEscapesHTMLCharactersAndLineSeparatorsAsEncodingJSONDoes() {
    #expect(JSON.quote("http://10.0.1.13:2380") == "\"http://10.0.1.13:2380\"")
    #expect(JSON.quote("a<b>&c") == "\"a\\u003cb\\u003e\\u0026c\"")
    #expect(JSON.quote("x\u{2028}y\u{01}") == "\"x\\u2028y\\u0001\"")
    #expect(JSON.quote("学习者") == "\"学习者\"")
  }
}

/// The loggers' time stamps.
@Suite struct TimeStampTests {
  @Test func stampsArePaddedAsEachLoggerPrintsThem() {
    let t: Millis = 1_796_032_007_005  // 2026-11-30 09:46:47.005 UTC
    #expect(SimTime.capnslog(t, micros: 42) == "2026-11-30 09:46:47.005042")
    #expect(SimTime.raft(t) == "2026/11/30 09:46:47")
    #expect(SimTime.iso(t) == "2026-11-30T09:46:47.005Z")
    #expect(SimTime.iso(0) == "1970-01-01T00:00:00.000Z")
  }
}
