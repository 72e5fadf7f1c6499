import Foundation
import Yams

/// Semantic colours for every part of the UI, loaded from a small YAML file
/// (`themes/NAME.yaml`) whose missing keys fall back to the built-in default.
public struct Theme: Sendable {
    public var name: String
    public var background: Style
    public var text: Style
    public var dimText: Style
    public var border: Style
    public var focusedBorder: Style
    public var title: Style
    public var focusedTitle: Style
    public var header: Style
    public var headerBadge: Style
    public var statusBar: Style
    public var tableHeader: Style
    public var selectedRow: Style
    public var axis: Style
    public var ok: Color
    public var warning: Color
    public var critical: Color
    public var stale: Style
    /// Series colours, in order (Grafana's classic palette by default).
    public var series: [Color]

    /// The colour of the `i`th series (wrapping around the palette).
    public func seriesColor(_ i: Int) -> Color {
        series.isEmpty ? .default : series[((i % series.count) + series.count) % series.count]
    }

    public static let `default` = Theme(
        name: "default",
        background: .plain,
        text: .plain,
        dimText: Style(foreground: .gray),
        border: Style(foreground: .gray),
        focusedBorder: Style(foreground: .brightCyan, attributes: .bold),
        title: Style(foreground: .white, attributes: .bold),
        focusedTitle: Style(foreground: .brightCyan, attributes: .bold),
        header: Style(foreground: .brightWhite, background: .indexed(236), attributes: .bold),
        headerBadge: Style(foreground: .black, background: .yellow, attributes: .bold),
        statusBar: Style(foreground: .white, background: .indexed(236)),
        tableHeader: Style(foreground: .brightWhite, attributes: [.bold, .underline]),
        selectedRow: Style(foreground: .black, background: .cyan),
        axis: Style(foreground: .gray),
        ok: .green,
        warning: .yellow,
        critical: .red,
        stale: Style(foreground: .black, background: .yellow),
        series: [
            .rgb(0x7e, 0xb2, 0x6d), .rgb(0xea, 0xb8, 0x39), .rgb(0x6e, 0xd0, 0xe0), .rgb(0xef, 0x84, 0x3c),
            .rgb(0xe2, 0x4d, 0x42), .rgb(0x1f, 0x78, 0xc1), .rgb(0xba, 0x43, 0xa9), .rgb(0x70, 0x5d, 0xa0),
        ]
    )
}

/// Reading theme files.
extension Theme {
    public struct LoadError: Error, CustomStringConvertible {
        public let file: String
        public let message: String
        public var description: String { "\(file): \(message)" }
    }

    /// The keys a theme file may set (styles take `fg`, `bg`, `bold`, `dim`, `underline`, `reverse`).
    public static var styleKeys: [String: WritableKeyPath<Theme, Style>] {
        [
            "background": \.background, "text": \.text, "dim-text": \.dimText, "border": \.border,
            "focused-border": \.focusedBorder, "title": \.title, "focused-title": \.focusedTitle,
            "header": \.header, "header-badge": \.headerBadge, "status-bar": \.statusBar,
            "table-header": \.tableHeader, "selected-row": \.selectedRow, "axis": \.axis, "stale": \.stale,
        ]
    }
    public static var colorKeys: [String: WritableKeyPath<Theme, Color>] {
        [
            "ok": \.ok, "warning": \.warning, "critical": \.critical,
        ]
    }

    /// Parses a theme file. Unknown keys and bad colours become warnings; missing keys keep the default.
    public static func load(yaml text: String, file: String, warnings: inout [String]) throws -> Theme {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch let error as YamlError {
            throw LoadError(file: file, message: "not valid YAML: \(error)")
        }
        guard let map = root as? [String: Any] else {
            throw LoadError(file: file, message: "expected a mapping of theme keys at the top level")
        }
        var theme = Theme.default
        theme.name = (map["name"] as? String) ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let palette = (map["palette"] as? [String: Any])?.compactMapValues { "\($0)" } ?? [:]

        func color(_ raw: Any?, key: String) -> Color? {
            guard let raw else { return nil }
            var text = "\(raw)"
            if let named = palette[text] { text = named }
            if let c = Color(text: text) { return c }
            warnings.append(
                "\(file): \(key): \"\(text)\" is not a colour (use #rrggbb, 0–255, or a name like bright-blue)")
            return nil
        }

        for (key, value) in map where !["name", "palette", "series"].contains(key) {
            if let path = styleKeys[key] {
                guard let spec = value as? [String: Any] else {
                    warnings.append("\(file): \(key): expected fg/bg/bold keys")
                    continue
                }
                var style = Style()
                for (k, v) in spec {
                    switch k {
                    case "fg": style.foreground = color(v, key: "\(key).fg") ?? .default
                    case "bg": style.background = color(v, key: "\(key).bg") ?? .default
                    case "bold" where (v as? Bool) == true: style.attributes.insert(.bold)
                    case "dim" where (v as? Bool) == true: style.attributes.insert(.dim)
                    case "underline" where (v as? Bool) == true: style.attributes.insert(.underline)
                    case "reverse" where (v as? Bool) == true: style.attributes.insert(.reverse)
                    case "italic" where (v as? Bool) == true: style.attributes.insert(.italic)
                    case "bold", "dim", "underline", "reverse", "italic": break
                    default:
                        warnings.append(
                            "\(file): \(key).\(k): unknown style key (fg, bg, bold, dim, underline, reverse, italic)")
                    }
                }
                theme[keyPath: path] = style
            } else if let path = colorKeys[key] {
                if let c = color(value, key: key) { theme[keyPath: path] = c }
            } else {
                warnings.append("\(file): unknown key \"\(key)\" (ignored)")
            }
        }
        if let series = map["series"] {
            guard let list = series as? [Any] else {
                throw LoadError(file: file, message: "series: expected a list of colours")
            }
            let colors = list.enumerated().compactMap { color($0.element, key: "series[\($0.offset)]") }
            if !colors.isEmpty { theme.series = colors }
        }
        return theme
    }

    public static func load(file: String, warnings: inout [String]) throws -> Theme {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
            throw LoadError(file: file, message: "cannot read the file")
        }
        return try load(yaml: text, file: file, warnings: &warnings)
    }
}
