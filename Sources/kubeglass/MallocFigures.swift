import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// glibc malloc's own figures (`malloc_info`, summed over its arenas) and `malloc_trim`, for `kubeglass soak`'s
/// columns: how much of RSS is the heap in use, how much is free but held by malloc, and in how many arenas.
/// Looked up at run time (`malloc.h` is not in Swift's Glibc module); all zero where there is no glibc.
struct MallocFigures: Equatable {
    /// Arenas (`<heap nr=…>`): the main one and one per thread that found the others busy, up to 8 a core.
    var arenas = 0
    /// Bytes the arenas took from the system (mallinfo2's `arena`), and the big blocks mmapped on their own (`hblkhd`).
    var arenaBytes = 0
    var mmapBytes = 0
    /// Free chunks the arenas hold (`fordblks`: fast bins and the rest), part of `arenaBytes`.
    var freeBytes = 0
    /// In use: what the program allocated and has not freed (`uordblks + hblkhd`).
    var inUse: Int { arenaBytes - freeBytes + mmapBytes }

    #if canImport(Glibc)
        private typealias InfoFunction = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        private typealias TrimFunction = @convention(c) (Int) -> Int32
        nonisolated(unsafe) private static let library = dlopen(nil, RTLD_NOW)
    #endif

    /// The figures now (zero where `malloc_info` is missing).
    static func read() -> MallocFigures {
        #if canImport(Glibc)
            guard let symbol = dlsym(library, "malloc_info") else { return MallocFigures() }
            let info = unsafeBitCast(symbol, to: InfoFunction.self)
            var text: UnsafeMutablePointer<CChar>?
            var size = 0
            guard let file = open_memstream(&text, &size) else { return MallocFigures() }
            _ = info(0, file)
            fclose(file)
            guard let text else { return MallocFigures() }
            defer { free(text) }
            return parse(String(cString: text))
        #else
            return MallocFigures()
        #endif
    }

    /// Reads `malloc_info`'s XML: the totals after the last `</heap>` are the sums over the arenas.
    static func parse(_ xml: String) -> MallocFigures {
        var figures = MallocFigures()
        figures.arenas = xml.components(separatedBy: "<heap nr=").count - 1
        let totals = xml.components(separatedBy: "</heap>").last ?? ""
        func size(_ element: String, _ type: String) -> Int {
            guard let at = totals.range(of: "<\(element) type=\"\(type)\"") else { return 0 }
            let rest = totals[at.upperBound...]
            guard let s = rest.range(of: "size=\"") else { return 0 }
            return Int(rest[s.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        figures.arenaBytes = size("system", "current")
        figures.mmapBytes = size("total", "mmap")
        figures.freeBytes = size("total", "fast") + size("total", "rest")
        return figures
    }

    /// Gives the free memory at the top of each arena (and whole free pages inside them) back to the system.
    static func trim() {
        #if canImport(Glibc)
            guard let symbol = dlsym(library, "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: TrimFunction.self)(0)
        #endif
    }
}
