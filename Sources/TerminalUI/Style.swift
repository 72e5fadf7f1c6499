/// Foreground, background and attributes of a cell.
public struct Style: Hashable, Sendable {
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1)
        public static let dim = Attributes(rawValue: 2)
        public static let underline = Attributes(rawValue: 4)
        public static let reverse = Attributes(rawValue: 8)
        public static let italic = Attributes(rawValue: 16)
    }

    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func fg(_ color: Color) -> Style {
        var s = self
        s.foreground = color
        return s
    }
    public func bg(_ color: Color) -> Style {
        var s = self
        s.background = color
        return s
    }
    public func with(_ attributes: Attributes) -> Style {
        var s = self
        s.attributes.formUnion(attributes)
        return s
    }
    public var bold: Style { with(.bold) }
    public var dim: Style { with(.dim) }
    public var reversed: Style { with(.reverse) }
}
