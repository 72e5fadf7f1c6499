import Foundation
import KubeglassCore
import Yams

/// Reading theme files: semantic keys set to a style (`border: {fg: gray, bold: true}`) or a colour (`ok: green`).
extension Theme {
    /// What is wrong in a theme file, and where: `themes/x.yaml:7: border.fg: "teal-ish" is not a colour …`.
    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public let file: String
        public let line: Int?
        /// The key at fault, dotted (`critical.fg`, `series[2]`); nil for the file as a whole.
        public let key: String?
        public let message: String

        public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
            self.file = file
            self.line = line
            self.key = key
            self.message = message
        }

        public var description: String {
            let place = line.map { "\(file):\($0)" } ?? file
            return key.map { "\(place): \($0): \(message)" } ?? "\(place): \(message)"
        }
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

    /// The level keys: a colour, or a style whose `fg` and attributes are used.
    public static var levelKeys:
        [String: (color: WritableKeyPath<Theme, Color>, attributes: WritableKeyPath<Theme, Style.Attributes>)]
    {
        [
            "ok": (\.ok, \.okAttributes), "warning": (\.warning, \.warningAttributes),
            "critical": (\.critical, \.criticalAttributes),
        ]
    }

    /// Parses a theme file. Unknown keys and bad colours become warnings; missing keys keep the default.
    /// A theme that sets a background colour gives it to every style without one (and its text colour to
    /// every style without a foreground), so no part is left in the terminal's own colours.
    public static func load(yaml text: String, file: String, warnings: inout [String]) throws -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw LoadError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
            default:
                throw LoadError(file: file, message: "not valid YAML: \(error)")
            }
        }
        guard let root, case .mapping(let top) = root else {
            throw LoadError(
                file: file, line: root?.mark?.line,
                message: "expected a mapping of theme keys at the top level (like `border: {fg: gray}`)")
        }
        var reader = ThemeReader(file: file)
        var theme = Theme.default
        theme.name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if let palette = top["palette"] { reader.readPalette(palette) }
        for (keyNode, value) in top {
            let key = keyNode.string ?? "\(keyNode)"
            switch key {
            case "palette": continue
            case "name":
                if let name = value.string, case .scalar = value { theme.name = name }
            case "series":
                guard case .sequence(let list) = value else {
                    throw LoadError(
                        file: file, line: value.mark?.line, key: key,
                        message: "expected a list of colours, like [\"#7eb26d\", yellow]")
                }
                let colors = list.enumerated().compactMap { reader.color($0.element, key: "series[\($0.offset)]") }
                if !colors.isEmpty { theme.series = colors }
            default:
                if let path = styleKeys[key] {
                    if let style = reader.style(value, key: key) { theme[keyPath: path] = style }
                } else if let paths = levelKeys[key] {
                    guard let style = reader.style(value, key: key, allowsBackground: false) else { continue }
                    theme[keyPath: paths.color] = style.foreground
                    theme[keyPath: paths.attributes] = style.attributes
                } else {
                    reader.warn(
                        keyNode, key: key,
                        "unknown key \"\(key)\" (ignored; theme keys: \(styleKeys.keys.sorted().joined(separator: ", ")), ok, warning, critical, series, palette, name)"
                    )
                }
            }
        }
        warnings += reader.warnings.map(\.description)
        return theme.fillingUnsetColors()
    }

    /// Reads `file`; errors name it as `shownAs` (a user's theme as `~/.config/…`).
    public static func load(file: String, shownAs: String? = nil, warnings: inout [String]) throws -> Theme {
        let shown = shownAs ?? file
        let data: Data
        switch FileContents.read(file) {
        case .success(let bytes): data = bytes
        case .failure(let failure): throw LoadError(file: shown, message: failure.description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(file: shown, message: "not UTF-8 text")
        }
        return try load(yaml: text, file: shown, warnings: &warnings)
    }

    /// Styles without a background take the theme's; without a foreground, the text's.
    func fillingUnsetColors() -> Theme {
        var theme = self
        let background = self.background.background
        let foreground = self.text.foreground
        for path in Self.styleKeys.values {
            if background != .default, theme[keyPath: path].background == .default {
                theme[keyPath: path].background = background
            }
            if background != .default, foreground != .default, theme[keyPath: path].foreground == .default {
                theme[keyPath: path].foreground = foreground
            }
        }
        return theme
    }
}

/// Reads one theme file's values, collecting warnings that name the line and key.
private struct ThemeReader {
    let file: String
    var palette: [String: Color] = [:]
    var warnings: [Theme.LoadError] = []

    init(file: String) { self.file = file }

    mutating func warn(_ node: Node, key: String, _ message: String) {
        warnings.append(Theme.LoadError(file: file, line: node.mark?.line, key: key, message: message))
    }

    mutating func readPalette(_ node: Node) {
        guard case .mapping(let map) = node else {
            warn(node, key: "palette", "expected a mapping of names to colours, like {sea: \"#0088cc\"}")
            return
        }
        for (name, value) in map {
            guard let name = name.string else { continue }
            if let c = color(value, key: "palette.\(name)") { palette[name] = c }
        }
    }

    /// A colour: a palette name, a colour name, an xterm-256 index or `#rrggbb`.
    mutating func color(_ node: Node, key: String) -> Color? {
        guard case .scalar(let scalar) = node else {
            warn(node, key: key, "expected a colour, not a list or mapping")
            return nil
        }
        if let named = palette[scalar.string] { return named }
        if let c = Color(text: scalar.string) { return c }
        warn(
            node, key: key,
            "\"\(scalar.string)\" is not a colour (use #rrggbb, 0–255, a name like bright-blue, or a palette name)")
        return nil
    }

    /// A style: `{fg: red, bg: black, bold: true}`, or just a colour for its foreground.
    mutating func style(_ node: Node, key: String, allowsBackground: Bool = true) -> Style? {
        switch node {
        case .scalar: return color(node, key: key).map { Style(foreground: $0) }
        case .mapping(let map):
            var style = Style()
            for (k, v) in map {
                let name = k.string ?? "\(k)"
                let attribute: Style.Attributes?
                switch name {
                case "fg":
                    if let c = color(v, key: "\(key).fg") { style.foreground = c }
                    continue
                case "bg" where allowsBackground:
                    if let c = color(v, key: "\(key).bg") { style.background = c }
                    continue
                case "bg":
                    warn(k, key: "\(key).bg", "ignored: \(key) sets a text colour only (fg) and attributes")
                    continue
                case "bold": attribute = .bold
                case "dim": attribute = .dim
                case "underline": attribute = .underline
                case "reverse": attribute = .reverse
                case "italic": attribute = .italic
                default: attribute = nil
                }
                guard let attribute else {
                    warn(k, key: "\(key).\(name)", "unknown style key (fg, bg, bold, dim, underline, reverse, italic)")
                    continue
                }
                guard case .scalar = v, let on = v.bool else {
                    warn(v, key: "\(key).\(name)", "should be true or false")
                    continue
                }
                if on { style.attributes.insert(attribute) }
            }
            return style
        case .sequence, .alias:
            warn(node, key: key, "expected a style like {fg: red, bold: true} or a colour")
            return nil
        }
    }
}
