import Foundation
import KubeglassCore
import Query

/// Grafana dashboard JSON (modern `panels` + `gridPos`, or legacy `rows` + `span`) → a kubeglass `Dashboard`.
/// What kubeglass cannot do is kept visible: such panels become `.unsupported` with the reason, the rest goes to `notes`.
public enum GrafanaImport {
    public struct Result: Sendable {
        public var dashboard: Dashboard
        /// What was changed or left out, one sentence each (unknown units, adhoc filters, repeats, links, …).
        public var notes: [String]
    }

    public static func load(path: String) throws -> Result {
        try DashboardLimits.checkSize(of: path)
        let data: Data
        switch FileContents.read(path) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            throw DashboardFileError(file: path, line: nil, column: nil, message: failure.description)
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var result = try parse(json: data, file: path, name: stem)
        result.dashboard.file = path
        return result
    }

    public static func parse(json data: Data, file: String, name: String) throws -> Result {
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch {
            throw DashboardFileError(
                file: file, line: error.line, column: error.column, message: "not valid JSON: \(error.message)")
        }
        // Grafana's HTTP API (and old exports) wrap the dashboard: {"dashboard": {...}, "overwrite": true}.
        var board = root
        if root["panels"] == nil, root["rows"] == nil, let inner = root["dashboard"], inner.object != nil {
            board = inner
        }
        guard board.object != nil else {
            throw DashboardFileError(
                file: file, line: 1, column: 1,
                message: "expected a Grafana dashboard: a JSON object with `panels` or `rows`")
        }
        guard board["panels"]?.array != nil || board["rows"]?.array != nil else {
            throw DashboardFileError(
                file: file, line: 1, column: 1,
                message:
                    "not a Grafana dashboard: it has neither `panels` nor `rows` (export it from Grafana with Share → Export → Save to file)"
            )
        }
        // Panels, the panels of collapsed rows, and legacy rows' panels: counted before any is converted.
        let top = board["panels"]?.array ?? []
        let legacy = board["rows"]?.array ?? []
        let count =
            top.count + top.reduce(0) { $0 + ($1["panels"]?.array?.count ?? 0) }
            + legacy.reduce(0) { $0 + 1 + ($1["panels"]?.array?.count ?? 0) }
        try DashboardLimits.checkPanels(count, file: file)
        var conversion = GrafanaConversion(board: board)
        let dashboard = conversion.dashboard(name: name)
        return Result(dashboard: dashboard, notes: conversion.finishedNotes())
    }
}

/// One import in progress: the datasources the file names, and the notes gathered on the way.
struct GrafanaConversion {
    let board: JSONValue
    /// `__inputs` of an exported dashboard: DS_PROMETHEUS → prometheus.
    var inputs: [String: String] = [:]
    /// `datasource`-type template variables: their name → the plugin type they choose from.
    var datasourceVariables: [String: String] = [:]
    var notes: [String] = []
    var unknownUnits: [String: [String]] = [:]
    var panelsWithLinks: [String] = []

    init(board: JSONValue) {
        self.board = board
        for input in board["__inputs"]?.array ?? [] {
            if let name = input["name"]?.string, let plugin = input["pluginId"]?.string { inputs[name] = plugin }
        }
        for v in board["templating"]?["list"]?.array ?? [] where v["type"]?.string == "datasource" {
            if let name = v["name"]?.string { datasourceVariables[name] = v["query"]?.string ?? "" }
        }
    }

    mutating func note(_ text: String) {
        if !notes.contains(text) { notes.append(text) }
    }

    mutating func finishedNotes() -> [String] {
        for (unit, titles) in unknownUnits.sorted(by: { $0.key < $1.key }) {
            note(
                "unit \"\(unit)\" is not one kubeglass knows; shown as a plain number (short) in: \(titles.map { "\"\($0)\"" }.joined(separator: ", "))"
            )
        }
        if !panelsWithLinks.isEmpty {
            note(
                "panel links are not kept (a terminal cannot open them): \(panelsWithLinks.map { "\"\($0)\"" }.joined(separator: ", "))"
            )
        }
        return notes
    }

    mutating func dashboard(name: String) -> Dashboard {
        let title = board["title"]?.string ?? name
        var panels: [Panel]
        if let modern = board["panels"]?.array, board["rows"]?.array?.isEmpty ?? true {
            panels = modernPanels(modern)
        } else {
            panels = legacyRows(board["rows"]?.array ?? [])
        }
        var variables = self.variables()
        let common = GrafanaConversion.mostCommon(
            panels.flatMap { [$0] + $0.children }.compactMap(\.datasource) + variables.compactMap(\.datasource))
        // Panels and variables name their datasource only when it differs from the dashboard's.
        func relative(_ p: Panel) -> Panel {
            var p = p
            if p.datasource == common { p.datasource = nil }
            p.children = p.children.map(relative)
            return p
        }
        panels = panels.map(relative)
        for i in variables.indices where variables[i].datasource == common { variables[i].datasource = nil }
        if !(board["links"]?.array?.isEmpty ?? true) {
            note("the dashboard's links are not kept (a terminal cannot open them)")
        }
        return Dashboard(
            title: title, name: name, refresh: refresh(), timeRange: timeRange(), panels: panels, variables: variables,
            datasource: common)
    }

    static func mostCommon(_ sources: [Datasource]) -> Datasource? {
        var counts: [Datasource: Int] = [:]
        for s in sources { counts[s, default: 0] += 1 }
        return Datasource.allCases.filter { counts[$0] != nil }.max { counts[$0]! < counts[$1]! }
    }

    private mutating func timeRange() -> Int64 {
        guard let from = board["time"]?["from"]?.string else { return Milliseconds.hour }
        if from.hasPrefix("now-"), !from.contains("/"), let ms = DurationText.milliseconds(String(from.dropFirst(4))),
            ms > 0
        {
            return ms
        }
        note("time range from \"\(from)\" is not a \"now-…\" duration; kubeglass shows the last hour")
        return Milliseconds.hour
    }

    private mutating func refresh() -> Int64? {
        guard let text = board["refresh"]?.string, !text.isEmpty else { return nil }
        if let ms = DurationText.milliseconds(text), ms > 0 { return ms }
        note("refresh \"\(text)\" is not a duration; ignored")
        return nil
    }

    // MARK: Layout

    /// Modern dashboards: panels with `gridPos`; a collapsed row holds its panels in its own `panels`.
    private mutating func modernPanels(_ list: [JSONValue]) -> [Panel] {
        var bottom = 0
        var out: [Panel] = []
        for p in list {
            let pos = gridPos(p, below: bottom)
            bottom = max(bottom, pos.y + pos.h)
            if p["type"]?.string == "row" {
                var row = Panel(
                    title: p["title"]?.string ?? "", kind: .row, gridPos: pos, collapsed: p["collapsed"]?.bool ?? false)
                if let repeatName = p["repeat"]?.string, !repeatName.isEmpty {
                    note(
                        "row \"\(row.title)\" repeats for each value of $\(repeatName) in Grafana; kubeglass shows it once"
                    )
                }
                var childBottom = pos.y + pos.h
                for c in p["panels"]?.array ?? [] {
                    let cpos = gridPos(c, below: childBottom)
                    childBottom = max(childBottom, cpos.y + cpos.h)
                    row.children.append(panel(c, at: cpos))
                }
                if row.collapsed {
                    out.append(row)
                } else {
                    // An expanded row's panels follow it in our model.
                    let kids = row.children
                    row.children = []
                    out.append(row)
                    out += kids
                }
            } else {
                out.append(panel(p, at: pos))
            }
        }
        return out
    }

    private mutating func gridPos(_ p: JSONValue, below bottom: Int) -> GridPos {
        guard let g = p["gridPos"], g.object != nil else {
            return GridPos(x: 0, y: bottom, w: 24, h: p["type"]?.string == "row" ? 1 : 8)
        }
        let raw = GridPos(x: g["x"]?.int ?? 0, y: g["y"]?.int ?? bottom, w: g["w"]?.int ?? 12, h: g["h"]?.int ?? 8)
        var pos = raw
        pos.w = min(max(pos.w, 1), 24)
        pos.x = min(max(pos.x, 0), 24 - pos.w)
        pos.h = max(pos.h, 1)
        pos.y = max(pos.y, 0)
        if pos != raw {
            note(
                "panel \"\(p["title"]?.string ?? "")\" was moved onto the 24-column grid (it was x: \(raw.x), y: \(raw.y), w: \(raw.w), h: \(raw.h))"
            )
        }
        return pos
    }

    /// Legacy dashboards (before Grafana 5): rows of panels with 12-column `span`s and pixel heights,
    /// converted the way Grafana's own migration does (span × 2, pixels / 40 rounded up, at least 90 px).
    private mutating func legacyRows(_ rows: [JSONValue]) -> [Panel] {
        let showRows = rows.contains { r in
            (r["collapse"]?.bool ?? false) || (r["showTitle"]?.bool ?? false) || !(r["repeat"]?.string ?? "").isEmpty
        }
        var y = 0
        var out: [Panel] = []
        for r in rows {
            let rowHeight = GrafanaConversion.gridHeight(r["height"])
            let collapsed = r["collapse"]?.bool ?? false
            let title = r["title"]?.string ?? ""
            if let repeatName = r["repeat"]?.string, !repeatName.isEmpty {
                note("row \"\(title)\" repeats for each value of $\(repeatName) in Grafana; kubeglass shows it once")
            }
            var row: Panel?
            if showRows {
                row = Panel(title: title, kind: .row, gridPos: GridPos(x: 0, y: y, w: 24, h: 1), collapsed: collapsed)
                y += 1
            }
            var x = 0
            var lineY = y
            var lineHeight = 0
            var panels: [Panel] = []
            for p in r["panels"]?.array ?? [] {
                let w = min(max(Int(((p["span"]?.number ?? 4) * 2).rounded()), 1), 24)
                let h = p["height"].map { GrafanaConversion.gridHeight($0) } ?? rowHeight
                if x + w > 24 {
                    lineY += lineHeight
                    x = 0
                    lineHeight = 0
                }
                panels.append(panel(p, at: GridPos(x: x, y: lineY, w: w, h: h)))
                x += w
                lineHeight = max(lineHeight, h)
            }
            if var row, collapsed {
                row.children = panels
                out.append(row)
            } else {
                if let row { out.append(row) }
                out += panels
                y = lineY + lineHeight
            }
        }
        return out
    }

    /// Grafana's migration: a pixel height (250 or "250px") in grid rows of 30 px plus a 10 px gap, at least 90 px.
    static func gridHeight(_ value: JSONValue?) -> Int {
        var px = 250.0
        if let v = value {
            if let n = v.number {
                px = n
            } else if let s = v.string,
                let n = Double(s.replacingOccurrences(of: "px", with: "").trimmingCharacters(in: .whitespaces))
            {
                px = n
            }
        }
        return Int((max(px, 90) / 40).rounded(.up))
    }
}
