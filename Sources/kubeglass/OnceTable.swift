import Dashboards
import KubeglassCore

/// A table panel's rows as `kubeglass once` prints them for scripts: its columns, and the rows in the
/// table's sort order, at most `--rows` of them (0: all).
struct OnceTable: Encodable {
    struct ColumnOut: Encodable {
        var title: String
        /// `label` (text), `value` (a number) or `sparkline` (the values over the range, one per step).
        var type: String
        /// The unit of a value or sparkline column (Grafana's unit id: cores, bytes, percent); null for labels.
        var unit: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title)
            try c.encode(type, forKey: .type)
            try c.encode(unit, forKey: .unit) // null for labels, not left out
        }
        enum CodingKeys: String, CodingKey { case title, type, unit }
    }

    /// One cell: text, a number (null when missing), or a sparkline's numbers.
    enum CellOut: Encodable, Equatable {
        case text(String)
        case number(Double?)
        case series([Double?])

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let t): try c.encode(t)
            case .number(let v): try c.encode(v)
            case .series(let values): try c.encode(values)
            }
        }
    }

    var columns: [ColumnOut]
    var rows: [[CellOut]]
    /// How many rows the table has; more than `rows` holds when `--rows` cut it short.
    var total: Int

    init(_ panel: Panel, table: TableData?, limit: Int) {
        columns = panel.columns.map { c in
            ColumnOut(title: c.title, type: c.kind.rawValue, unit: c.kind == .label ? nil : c.unit.rawValue)
        }
        guard let table else {
            rows = []
            total = 0
            return
        }
        // Rows past what the evaluator was asked for are placeholders: never printed.
        let order = panel.sortColumn.map { TableOrder(column: $0, descending: panel.sortDescending) }
        var indices = table.displayed(order: order, filter: "").filter { !table.rows[$0].partial }
        if limit > 0 && indices.count > limit { indices.removeSubrange(limit...) }
        total = table.rows.count
        rows = indices.map { i in
            table.rows[i].cells.map { cell in
                // JSON has no NaN or infinity: a value that is not finite is printed as missing.
                func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
                switch cell {
                case .text(let t): return .text(t)
                case .number(let v): return .number(finite(v))
                case .series(let values): return .series(values.map(finite))
                }
            }
        }
    }
}

extension OnceTable {
    enum Delimited { case csv, tsv }

    /// The header and the rows, one line each. Sparkline columns are left out (a cell holds one value);
    /// a value column's header names its unit, as `kubectl top`'s `MEMORY(bytes)` does.
    func lines(_ format: Delimited) -> [String] {
        let kept = columns.indices.filter { columns[$0].type != Column.Kind.sparkline.rawValue }
        let header = kept.map { i in
            let c = columns[i]
            guard let unit = c.unit, unit != DisplayUnit.none.rawValue, unit != DisplayUnit.short.rawValue,
                !(unit == DisplayUnit.percent.rawValue && c.title.hasSuffix("%"))
            else { return c.title }
            return "\(c.title) (\(unit))"
        }
        let body = rows.map { row in
            kept.map { i -> String in
                switch row[i] {
                case .text(let t): return t
                case .number(let v): return v.map(Self.number) ?? ""
                case .series: return ""
                }
            }
        }
        return ([header] + body).map { Self.line($0, format) }
    }

    /// One record: CSV quotes a field holding a comma, a quote or a line break and doubles its quotes
    /// (RFC 4180); TSV, which cannot quote, writes a tab, a line break or a backslash as `\t`, `\n`, `\r`,
    /// `\\` (as PostgreSQL's COPY does).
    static func line(_ fields: [String], _ format: Delimited) -> String {
        switch format {
        case .csv:
            return fields.map { f in
                guard f.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return f }
                return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",")
        case .tsv:
            return fields.map { f in
                var out = ""
                // By scalar: "\r\n" is one Character.
                for scalar in f.unicodeScalars {
                    switch scalar {
                    case "\\": out += "\\\\"
                    case "\t": out += "\\t"
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    default: out.unicodeScalars.append(scalar)
                    }
                }
                return out
            }.joined(separator: "\t")
        }
    }

    /// A number as scripts read it: whole numbers without a fraction (`12`), others in Swift's shortest form
    /// that reads back to the same double (`0.25`, `1.5e-05`).
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
