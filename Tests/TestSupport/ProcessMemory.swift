import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// This process's memory, measured: the malloc heap in use and the resident set.
public enum ProcessMemory {
    /// Bytes in use on the malloc heap: glibc's `mallinfo2().uordblks + hblkhd`. The Glibc module does not
    /// import <malloc.h>, so the function is looked up by name; on x86-64 a struct this large comes back
    /// through a hidden pointer passed as the first argument, which is how it is called here.
    public static func heapBytes() -> Int {
        #if canImport(Glibc) && arch(x86_64)
            typealias MallInfo2 = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer
            guard let symbol = dlsym(nil, "mallinfo2") else { return 0 } // nil is RTLD_DEFAULT
            let info = UnsafeMutableRawPointer.allocate(byteCount: 10 * 8, alignment: 8)
            defer { info.deallocate() }
            _ = unsafeBitCast(symbol, to: MallInfo2.self)(info)
            let fields = info.assumingMemoryBound(to: Int.self)
            return fields[7] + fields[4] // uordblks (in use) + hblkhd (in mmapped blocks)
        #else
            return 0
        #endif
    }

    public static func rssBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
