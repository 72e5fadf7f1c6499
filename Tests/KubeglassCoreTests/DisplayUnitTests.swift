import KubeglassCore
import Testing

/// Expected texts are what Grafana 10 shows for the same unit id and value.
struct DisplayUnitTests {
    @Test func bytesAreIEC() {
        #expect(DisplayUnit.bytes.format(0) == "0 B")
        #expect(DisplayUnit.bytes.format(512) == "512 B")
        #expect(DisplayUnit.bytes.format(1536) == "1.50 KiB")
        #expect(DisplayUnit.bytes.format(1.5 * 1024 * 1024 * 1024) == "1.50 GiB")
        #expect(DisplayUnit.bytes.format(123.4 * 1024 * 1024) == "123 MiB")
        #expect(DisplayUnit.bytes.format(12.34 * 1024 * 1024) == "12.3 MiB")
        #expect(DisplayUnit.bytes.format(3 * 1024 * 1024 * 1024 * 1024) == "3 TiB")
    }

    @Test func decimalBytesAreSI() {
        #expect(DisplayUnit.decbytes.format(1500) == "1.50 kB")
        #expect(DisplayUnit.decbytes.format(2_000_000_000) == "2 GB")
    }

    @Test func bytesPerSecondAreSI() {
        #expect(DisplayUnit.bytesPerSecond.format(0) == "0 B/s")
        #expect(DisplayUnit.bytesPerSecond.format(999) == "999 B/s")
        #expect(DisplayUnit.bytesPerSecond.format(1234) == "1.23 kB/s")
        #expect(DisplayUnit.bytesPerSecond.format(15_600_000) == "15.6 MB/s")
        #expect(DisplayUnit.binBytesPerSecond.format(2048) == "2 KiB/s")
        #expect(DisplayUnit(grafanaID: "Bps") == .bytesPerSecond)
    }

    @Test func percentages() {
        #expect(DisplayUnit.percent.format(42) == "42%")
        #expect(DisplayUnit.percent.format(42.57) == "42.6%")
        #expect(DisplayUnit.percent.format(7.5) == "7.50%")
        #expect(DisplayUnit.percentunit.format(0.425) == "42.5%")
        #expect(DisplayUnit.percentunit.format(1) == "100%")
    }

    @Test func coresAndMillicores() {
        #expect(DisplayUnit.cores.format(1.25) == "1.25")
        #expect(DisplayUnit.cores.format(0.25) == "250m")
        #expect(DisplayUnit.cores.format(0.0004) == "0m")
        #expect(DisplayUnit.cores.format(0) == "0")
        #expect(DisplayUnit.cores.format(12) == "12")
        #expect(DisplayUnit.cores.format(0.9996) == "1")
        #expect(DisplayUnit.millicores.format(250) == "250m")
        #expect(DisplayUnit.millicores.format(3500) == "3.50")
    }

    @Test func shortAndNone() {
        #expect(DisplayUnit.short.format(0) == "0")
        #expect(DisplayUnit.short.format(950) == "950")
        #expect(DisplayUnit.short.format(1500) == "1.50 K")
        #expect(DisplayUnit.short.format(2_500_000) == "2.50 Mil")
        #expect(DisplayUnit.short.format(0.123) == "0.123")
        #expect(DisplayUnit.none.format(12.345) == "12.3")
        #expect(DisplayUnit.none.format(-3) == "-3")
    }

    @Test func durations() {
        #expect(DisplayUnit.seconds.format(0.25) == "250 ms")
        #expect(DisplayUnit.seconds.format(90) == "1.50 min")
        #expect(DisplayUnit.seconds.format(7200) == "2 hour")
        #expect(DisplayUnit.milliseconds.format(1500) == "1.50 s")
    }

    @Test func otherRates() {
        #expect(DisplayUnit.requestsPerSecond.format(12.5) == "12.5 req/s")
        #expect(DisplayUnit.opsPerSecond.format(3) == "3 ops/s")
        #expect(DisplayUnit.bitsPerSecond.format(1_000_000) == "1 Mb/s")
        #expect(DisplayUnit.bits.format(2000) == "2 kb")
    }

    @Test func missingAndSpecialValues() {
        #expect(DisplayUnit.bytes.format(nil) == "–")
        #expect(DisplayUnit.bytes.format(.nan) == "NaN")
        #expect(DisplayUnit.cores.format(.infinity) == "+Inf")
        #expect(DisplayUnit.bytes.format(-1536) == "-1.50 KiB")
    }

    @Test func everyUnitFormatsEveryKindOfValue() {
        for unit in DisplayUnit.allCases {
            for v in [0, 1, -1, 0.001, 1e18, -1e-9] {
                #expect(!unit.format(v).isEmpty, "\(unit) \(v)")
            }
        }
    }

    @Test func grafanaDecimals() {
        #expect(GrafanaNumber.autoDecimals(1.5) == 2)
        #expect(GrafanaNumber.autoDecimals(12.34) == 1)
        #expect(GrafanaNumber.autoDecimals(123.4) == 0)
        #expect(GrafanaNumber.autoDecimals(0.25) == 3)
        #expect(GrafanaNumber.autoDecimals(5) == 0)
    }
}
