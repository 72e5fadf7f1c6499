#if canImport(Glibc)
    import Glibc
#endif

/// What the allocator really gave an array's or an object's storage (`malloc_usable_size`), for the
/// memory figures: measured, not computed from counts, so that growth by doubling and the allocator's
/// rounding show. Only storage the store allocated at run time is measured (never a literal's).
enum HeapSize {
    /// A Swift array's buffer: a 32-byte header (object header, count, capacity), then the elements.
    static let arrayHeader = 32

    /// Bytes of `array`'s buffer (0 for an empty array with no buffer of its own).
    static func of<T>(_ array: [T]) -> Int {
        guard array.capacity > 0 else { return 0 }
        return array.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return usable(
                UnsafeRawPointer(base) - arrayHeader, fallback: arrayHeader + array.capacity * MemoryLayout<T>.stride)
        }
    }

    /// Bytes of a class instance.
    static func of(_ object: AnyObject) -> Int {
        usable(UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()), fallback: 16)
    }

    private typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int

    /// glibc's `malloc_usable_size` (not in Swift's Glibc module), looked up once.
    private static let usableSize: UsableSize? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "malloc_usable_size") else { return nil } // nil is RTLD_DEFAULT
            return unsafeBitCast(symbol, to: UsableSize.self)
        #else
            return nil
        #endif
    }()

    private typealias Trim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim(0)`: the free pages anywhere in the heap go back to the system (free only trims its top).
    static func trim() {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    private static func usable(_ pointer: UnsafeRawPointer, fallback: Int) -> Int {
        guard let usableSize else { return fallback }
        // Plus the 8-byte size word glibc keeps before each chunk.
        return usableSize(UnsafeMutableRawPointer(mutating: pointer)) + 8
    }

    /// A string's heap storage, by arithmetic (a literal's bytes are not on the heap, and cannot be told
    /// apart safely): none up to 15 UTF-8 bytes (kept inline), else a 32-byte header, the bytes and a NUL,
    /// in glibc's 16-byte steps with its 8-byte size word.
    static func ofString(utf8Count n: Int) -> Int {
        guard n > 15 else { return 0 }
        return max(32, (32 + n + 1 + 8 + 15) & ~15)
    }
}
