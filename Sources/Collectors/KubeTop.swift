import KubeglassCore

/// One node's line in `kubectl top node`: usage from metrics.k8s.io, allocatable from the Node.
public struct NodeUsageRow: Sendable, Equatable {
    public var name: String
    public var cpu: Quantity
    public var memory: Quantity
    /// Nil when the node object is unknown; kubectl then leaves the percentage out.
    public var allocatableCPU: Quantity?
    public var allocatableMemory: Quantity?

    public init(name: String, cpu: Quantity, memory: Quantity, allocatableCPU: Quantity?, allocatableMemory: Quantity?)
    {
        self.name = name
        self.cpu = cpu
        self.memory = memory
        self.allocatableCPU = allocatableCPU
        self.allocatableMemory = allocatableMemory
    }

    public init(
        name: String, cpuMillis: Int64, memoryBytes: Int64, allocatableCPUMillis: Int64?, allocatableMemoryBytes: Int64?
    ) {
        self.init(
            name: name,
            cpu: Quantity(milliValue: cpuMillis),
            memory: Quantity(value: memoryBytes, format: .binarySI),
            allocatableCPU: allocatableCPUMillis.map { Quantity(milliValue: $0) },
            allocatableMemory: allocatableMemoryBytes.map { Quantity(value: $0, format: .binarySI) }
        )
    }
}

/// One pod of `kubectl top pod`: its containers' usage, as in a PodMetrics item.
public struct PodUsageRow: Sendable, Equatable {
    public struct Container: Sendable, Equatable {
        public var name: String
        public var cpu: Quantity
        public var memory: Quantity

        public init(name: String, cpu: Quantity, memory: Quantity) {
            self.name = name
            self.cpu = cpu
            self.memory = memory
        }

        public init(name: String, cpuMillis: Int64, memoryBytes: Int64) {
            self.init(
                name: name, cpu: Quantity(milliValue: cpuMillis),
                memory: Quantity(value: memoryBytes, format: .binarySI))
        }
    }

    public var namespace: String
    public var name: String
    public var containers: [Container]

    public init(namespace: String, name: String, containers: [Container]) {
        self.namespace = namespace
        self.name = name
        self.containers = containers
    }

    /// The pod's usage is the exact sum of its containers', rounded only when printed (as kubectl does).
    public var cpu: Quantity { Quantity(nanoValue: containers.reduce(0) { $0 + $1.cpu.nanoValue }) }
    public var memory: Quantity { Quantity(nanoValue: containers.reduce(0) { $0 + $1.memory.nanoValue }) }
}

/// `kubectl top node` and `kubectl top pod`, printed byte for byte as kubectl prints them
/// (k8s.io/kubectl/pkg/metricsutil/metrics_printer.go, through cli-runtime's tabwriter).
public enum KubeTop {
    /// `--sort-by`: kubectl's default is by name (pods: by namespace, then name); cpu and memory sort descending.
    public enum SortOrder: String, Sendable, CaseIterable {
        case name
        case cpu
        case memory
    }

    /// kubectl 1.32 (seen: v1.32.4) heads the node percentages `CPU(%)` and `MEMORY(%)`; older ones `CPU%` and `MEMORY%`.
    public enum PercentHeaders: Sendable {
        case parenthesized
        case bare
    }

    public static func nodeColumns(_ headers: PercentHeaders = .parenthesized) -> [String] {
        switch headers {
        case .parenthesized: ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
        case .bare: ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"]
        }
    }

    public static let podColumns = ["NAME", "CPU(cores)", "MEMORY(bytes)"]

    /// `kubectl top node`. Nodes in `withoutMetrics` get `<unknown>` lines after the others;
    /// kubectl prints them in map order, we print them by name. No rows at all prints nothing.
    public static func nodes(
        _ rows: [NodeUsageRow],
        withoutMetrics: [String] = [],
        sortBy: SortOrder = .name,
        noHeaders: Bool = false,
        headers: PercentHeaders = .parenthesized
    ) -> String {
        guard !rows.isEmpty else { return "" }
        var lines: [[String]] = noHeaders ? [] : [nodeColumns(headers)]
        let sorted = stableSorted(rows) { a, b in
            switch sortBy {
            case .cpu: a.cpu.milliValue > b.cpu.milliValue
            case .memory: a.memory.value > b.memory.value
            case .name: a.name < b.name
            }
        }
        for row in sorted {
            var line = [row.name, cpu(row.cpu)]
            if let allocatable = row.allocatableCPU { line.append(percent(row.cpu, of: allocatable)) }
            line.append(memory(row.memory))
            if let allocatable = row.allocatableMemory { line.append(percent(row.memory, of: allocatable)) }
            lines.append(line)
        }
        let listed = Set(rows.map(\.name))
        for name in Set(withoutMetrics).subtracting(listed).sorted() {
            lines.append([name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"])
        }
        return tabulate(lines)
    }

    /// `kubectl top pod`; `allNamespaces` adds NAMESPACE (`-A`), `containers` one line per container (`--containers`).
    public static func pods(
        _ rows: [PodUsageRow],
        allNamespaces: Bool = false,
        containers: Bool = false,
        sortBy: SortOrder = .name,
        noHeaders: Bool = false
    ) -> String {
        guard !rows.isEmpty else { return "" }
        var lines: [[String]] = []
        if !noHeaders {
            lines.append((allNamespaces ? ["NAMESPACE"] : []) + (containers ? ["POD"] : []) + podColumns)
        }
        let sorted = stableSorted(rows) { a, b in
            switch sortBy {
            case .cpu: return a.cpu.milliValue > b.cpu.milliValue
            case .memory: return a.memory.value > b.memory.value
            case .name:
                if allNamespaces && a.namespace != b.namespace { return a.namespace < b.namespace }
                return a.name < b.name
            }
        }
        for pod in sorted {
            let prefix = allNamespaces ? [pod.namespace] : []
            if containers {
                let ordered = stableSorted(pod.containers) { a, b in
                    switch sortBy {
                    case .cpu: a.cpu.milliValue > b.cpu.milliValue
                    case .memory: a.memory.value > b.memory.value
                    case .name: a.name < b.name
                    }
                }
                for c in ordered {
                    lines.append(prefix + [pod.name, c.name, cpu(c.cpu), memory(c.memory)])
                }
            } else {
                lines.append(prefix + [pod.name, cpu(pod.cpu), memory(pod.memory)])
            }
        }
        return tabulate(lines)
    }

    /// `%vm` of MilliValue(): "488m".
    public static func cpu(_ usage: Quantity) -> String { "\(usage.milliValue)m" }

    /// `%vMi` of Value() / (1024*1024), integer division: "715Mi".
    public static func memory(_ usage: Quantity) -> String { "\(usage.value / (1024 * 1024))Mi" }

    /// `int64(float64(usage.MilliValue()) / float64(allocatable.MilliValue()) * 100)` as `%d%%`.
    public static func percent(_ usage: Quantity, of allocatable: Quantity) -> String {
        let fraction = Double(usage.milliValue) / Double(allocatable.milliValue) * 100
        // Go's int64() of NaN or an out-of-range float gives the smallest Int64 on amd64; Swift would trap.
        guard fraction.isFinite, fraction > -9.223372036854775808e18, fraction < 9.223372036854775808e18 else {
            return "\(Int64.min)%"
        }
        return "\(Int64(fraction))%"
    }

    /// Go's text/tabwriter as cli-runtime configures it (minwidth 6, padding 3, padchar ' '), with every
    /// cell tab-terminated as kubectl writes them, so the last column is padded too.
    public static func tabulate(_ rows: [[String]], minWidth: Int = 6, padding: Int = 3) -> String {
        let lines = rows.map { $0 + [""] }
        var out = ""
        var widths: [Int] = []

        func write(_ range: Range<Int>) {
            for i in range {
                for (j, cell) in lines[i].enumerated() {
                    out += cell
                    if j < widths.count {
                        out += String(repeating: " ", count: widths[j] - cell.unicodeScalars.count)
                    }
                }
                out += "\n"
            }
        }

        // A column block is a run of consecutive lines that have a cell in this column.
        func format(_ start: Int, _ end: Int) {
            let column = widths.count
            var blockStart = start
            var i = start
            while i < end {
                guard column < lines[i].count - 1 else {
                    i += 1
                    continue
                }
                write(blockStart..<i)
                blockStart = i
                var width = minWidth
                while i < end && column < lines[i].count - 1 {
                    width = max(width, lines[i][column].unicodeScalars.count + padding)
                    i += 1
                }
                widths.append(width)
                format(blockStart, i)
                widths.removeLast()
                blockStart = i
            }
            write(blockStart..<end)
        }

        format(0, lines.count)
        return out
    }

    /// Ties keep the order given (the API's, by namespace and name), as Go's sort does for short lists.
    private static func stableSorted<T>(_ items: [T], by before: (T, T) -> Bool) -> [T] {
        items.enumerated().sorted { a, b in
            if before(a.element, b.element) { return true }
            if before(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}
