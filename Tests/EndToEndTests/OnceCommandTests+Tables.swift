import Foundation
import TestSupport
import Testing

/// `kubeglass once` printing tables for scripts: JSON rows, CSV and TSV.
extension OnceCommandTests {
    func json(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    /// A dashboard file in a temporary directory, for the cases the built-in ones do not have.
    func dashboardFile(_ yaml: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-once-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("board.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func jsonTablesHaveTheirColumnsAndRowsInSortOrder() async throws {
        let (status, output) = try await once("--format", "json", "--panel", "Nodes", "--rows", "5")
        #expect(status == 0, "\(output)")
        let panel = try #require((try json(output)["panels"] as? [[String: Any]])?.first)
        let table = try #require(panel["table"] as? [String: Any])
        let columns = try #require(table["columns"] as? [[String: Any]])
        #expect(
            columns.map { $0["title"] as? String } == [
                "Node", "Status", "CPU", "CPU%", "Memory", "Mem%", "Pods", "Trend",
            ])
        #expect(
            columns.map { $0["type"] as? String } == [
                "label", "label", "value", "value", "value", "value", "value", "sparkline",
            ])
        #expect(columns[2]["unit"] as? String == "cores" && columns[4]["unit"] as? String == "bytes")
        #expect(columns[0]["unit"] is NSNull)
        #expect(table["total"] as? Int == 12)
        let rows = try #require(table["rows"] as? [[Any]])
        #expect(rows.count == 5, "--rows 5")
        let cpu = rows.compactMap { $0[2] as? Double }
        #expect(cpu.count == 5 && cpu == cpu.sorted(by: >), "numbers, by CPU descending as the table sorts")
        #expect(rows.allSatisfy { ($0[0] as? String)?.hasPrefix("node-") == true })
        #expect(rows.allSatisfy { ($0[1] as? String)?.isEmpty == false })
        #expect(rows.allSatisfy { (($0[7] as? [Any])?.count ?? 0) > 10 }, "each row's sparkline values")
        let memory = try #require(rows[0][4] as? Double)
        #expect(memory > 1_000_000, "bytes, not formatted text")
    }

    @Test func jsonTimesAreWholeSeconds() async throws {
        let (status, output) = try await once("--format", "json", "--panel", "Nodes ready")
        #expect(status == 0)
        let from = try #require(output.range(of: #""from":[0-9.e+-]+"#, options: .regularExpression))
        let to = try #require(output.range(of: #""to":[0-9.e+-]+"#, options: .regularExpression))
        #expect(!output[from].contains(".") && !output[to].contains("."), "\(output[from]) \(output[to])")
    }

    @Test func csvOfOneTableIsItsHeaderAndRows() async throws {
        let (status, output) = try await once("--format", "csv", "--panel", "Top pods", "--rows", "0")
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "Pod,Namespace,CPU (cores),Memory (bytes),Rst", "sparklines left out, units named")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.allSatisfy { $0.count == 5 })
        // By CPU, descending; pods without a CPU value (not running) come last, their field empty.
        let cpuFields = rows.map { String($0[2]) }
        let filled = cpuFields.prefix { !$0.isEmpty }
        #expect(cpuFields.dropFirst(filled.count).allSatisfy { $0.isEmpty }, "missing values last")
        let cpu = filled.compactMap { Double($0) }
        #expect(cpu.count > 150, "every running pod with --rows 0")
        #expect(cpu.count == filled.count && cpu == cpu.sorted(by: >))
        #expect(rows.allSatisfy { !$0[1].isEmpty }, "every pod has its namespace")
        #expect(rows.allSatisfy { $0[3].isEmpty || Double($0[3]) != nil }, "memory as a plain number")
    }

    @Test func csvWithoutAPanelPrintsEveryTableUnderItsTitle() async throws {
        let (status, output) = try await once("--format", "csv", "--rows", "3")
        #expect(status == 0, "\(output)")
        let blocks = output.trimmingCharacters(in: .newlines).components(separatedBy: "\n\n")
        #expect(blocks.map { $0.split(separator: "\n").first } == ["Nodes", "Top pods"])
        #expect(blocks.map { $0.split(separator: "\n").count } == [5, 5], "title, header, 3 rows")
        #expect(blocks[0].split(separator: "\n")[1] == "Node,Status,CPU (cores),CPU%,Memory (bytes),Mem%,Pods")
    }

    @Test func tsvSeparatesWithTabs() async throws {
        let (status, output) = try await once("--format", "tsv", "--panel", "Nodes", "--rows", "0")
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.first == "Node\tStatus\tCPU (cores)\tCPU%\tMemory (bytes)\tMem%\tPods")
        #expect(lines.count == 13)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: "\t").count == 7 && $0.hasPrefix("node-") })
    }

    @Test func csvQuotesAsRFC4180AndTSVEscapes() async throws {
        let board = try dashboardFile(
            #"""
            title: Quoting
            panels:
              - title: Odd labels
                type: table
                grid: {x: 0, y: 0, w: 24, h: 8}
                key: [node]
                columns:
                  - {title: Node, label: node}
                  - {title: "Note, odd", expr: 'label_replace(kubeglass_node_info{node="node-01"}, "note", "say \"hi\", then\tgo", "", "")', label: note}
            """#)
        let (status, output) = try await once("--format", "csv", "--panel", "odd labels", "--dashboard", board)
        #expect(status == 0, "\(output)")
        #expect(output.split(separator: "\n").first == #"Node,"Note, odd""#)
        #expect(output.contains("node-01,\"say \"\"hi\"\", then\tgo\"\n"))
        let (tsvStatus, tsv) = try await once("--format", "tsv", "--panel", "Odd labels", "--dashboard", board)
        #expect(tsvStatus == 0, "\(tsv)")
        #expect(tsv.contains("node-01\tsay \"hi\", then\\tgo\n"))
    }

    @Test func csvOfAPanelThatIsNotATableSaysSo() async throws {
        let (status, output) = try await once("--format", "csv", "--panel", "Cluster CPU")
        #expect(status != 0)
        #expect(output.contains("--format csv prints tables, and \"Cluster CPU\" is a timeseries panel"))
    }

    @Test func panelTitlesMatchIgnoringCase() async throws {
        let (status, output) = try await once("--format", "json", "--panel", "top PODS", "--rows", "1")
        #expect(status == 0, "\(output)")
        #expect((try json(output)["panels"] as? [[String: Any]])?.first?["title"] as? String == "Top pods")
    }

    @Test func aPanelTitleMatchingTwoIgnoringCaseNamesBoth() async throws {
        let board = try dashboardFile(
            """
            title: Twins
            panels:
              - {title: Nodes, type: stat, grid: {x: 0, y: 0, w: 12, h: 4}, expr: count(kubeglass_node_info)}
              - {title: NODES, type: stat, grid: {x: 12, y: 0, w: 12, h: 4}, expr: count(kubeglass_node_info)}
            """)
        let (exactStatus, exact) = try await once("--format", "json", "--panel", "NODES", "--dashboard", board)
        #expect(exactStatus == 0, "an exact title wins: \(exact)")
        let (status, output) = try await once("--panel", "nodes", "--dashboard", board)
        #expect(status == 64)
        #expect(output.contains(#"--panel "nodes" matches 2 panels of Twins when case is ignored: "Nodes", "NODES""#))
    }

    @Test func anUnknownPanelShowsTheUsageOfOnce() async throws {
        let (status, output) = try await once("--panel", "Nope")
        #expect(status == 64)
        #expect(output.contains("Usage: kubeglass once "), "\(output)")
        #expect(output.contains("See 'kubeglass once --help'"))
        #expect(!output.contains("<subcommand>"))
    }
}
