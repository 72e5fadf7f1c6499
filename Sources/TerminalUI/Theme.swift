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
    /// How ok / warning / critical text is marked besides its colour (`critical: {fg: red, bold: true}`),
    /// so that a theme without colours still tells them apart.
    public var okAttributes: Style.Attributes = []
    public var warningAttributes: Style.Attributes = []
    public var criticalAttributes: Style.Attributes = []
    public var stale: Style
    /// Series colours, in order (Grafana's classic palette by default).
    public var series: [Color]

    /// The colour of the `i`th series (wrapping around the palette).
    public func seriesColor(_ i: Int) -> Color {
        series.isEmpty ? .default : series[((i % series.count) + series.count) % series.count]
    }

    /// How far a state is from fine: the `ok`, `warning` and `critical` keys.
    public enum Level: Sendable { case ok, warning, critical }

    /// Text of `level` over `base`: the level's colour and attributes.
    public func style(_ level: Level, on base: Style) -> Style {
        switch level {
        case .ok: return base.fg(ok).with(okAttributes)
        case .warning: return base.fg(warning).with(warningAttributes)
        case .critical: return base.fg(critical).with(criticalAttributes)
        }
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
