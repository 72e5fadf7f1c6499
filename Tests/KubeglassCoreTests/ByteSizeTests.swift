import Testing

@testable import KubeglassCore

struct ByteSizeTests {
    @Test func sizesAsPeopleWriteThem() {
        #expect(ByteSize("512MB")?.bytes == 512 << 20)
        #expect(ByteSize("512mib")?.bytes == 512 << 20)
        #expect(ByteSize("2G")?.bytes == 2 << 30)
        #expect(ByteSize("1.5GB")?.bytes == 3 << 29)
        #expect(ByteSize(" 100 k ")?.bytes == 100 << 10)
        #expect(ByteSize("4096")?.bytes == 4096)
        #expect(ByteSize("none") == ByteSize("0"))
        #expect(ByteSize("none")?.bytes == nil && ByteSize("none") != nil)
        for bad in ["", "MB", "12 parsecs", "-1GB", "1e30", "9999999TB"] { #expect(ByteSize(bad) == nil, "\(bad)") }
    }
}
