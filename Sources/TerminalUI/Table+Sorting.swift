import KubeglassCore

extension Table {
    /// `rows` ordered by column `column`: numbers numerically, text in natural order (node-2 before
    /// node-10, case-insensitive), series by their last value. Missing values (nil, NaN, no cell)
    /// sort last in both directions; ties keep their order.
    public static func sorted(rows: [TableRow], by column: Int, descending: Bool) -> [TableRow] {
        let keys = rows.map { SortKey(column < $0.cells.count && column >= 0 ? $0.cells[column] : nil) }
        return SortKey.order(keys, descending: descending).map { rows[$0] }
    }

    /// Natural order of two strings (`SortKey.naturalCompare`): -1, 0 or 1.
    public static func naturalCompare(_ a: String, _ b: String) -> Int { SortKey.naturalCompare(a, b) }
}

extension SortKey {
    init(_ value: TableValue?) {
        switch value {
        case .number(let v?, _): self.init(number: v)
        case .series(let values): self.init(number: values.finiteValues.last)
        case .text(let s, _): self = .text(s)
        default: self = .missing
        }
    }
}
