import Dashboards
import Foundation
import Testing

/// A huge or generated dashboard file is refused in a line, quickly, instead of being loaded.
struct DashboardLimitsTests {
    func temporaryFile(_ name: String, _ data: Data) throws -> String {
        let path = NSTemporaryDirectory() + "kubeglass-limits-\(UUID().uuidString)-\(name)"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["big.yaml", "big.json"])
    func aFileOverTheSizeLimitIsNotRead(name: String) throws {
        let bytes = Data(repeating: UInt8(ascii: " "), count: DashboardLimits.maximumFileBytes + 1)
        let path = try temporaryFile(name, bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let started = ContinuousClock.now
        let error = #expect(throws: DashboardFileError.self) {
            if name.hasSuffix(".json") {
                _ = try GrafanaImport.load(path: path)
            } else {
                _ = try DashboardFile.load(path: path)
            }
        }
        #expect(error?.file == path)
        #expect(
            error?.message.contains("larger than the 8 MiB a dashboard file may be") == true,
            "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// A file that cannot be read says why, as the system puts it: a wrong path, a directory, a permission.
    @Test(arguments: ["missing.yaml", "missing.json", "folder.yaml"])
    func aFileThatCannotBeReadSaysWhy(name: String) throws {
        let path = NSTemporaryDirectory() + "kubeglass-limits-\(UUID().uuidString)-\(name)"
        if name.hasPrefix("folder") {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: DashboardFileError.self) {
            if name.hasSuffix(".json") {
                _ = try GrafanaImport.load(path: path)
            } else {
                _ = try DashboardFile.load(path: path)
            }
        }
        let reason = name.hasPrefix("folder") ? "Is a directory" : "No such file or directory"
        #expect(error?.description == "\(path): cannot read the file (\(reason))", "\(String(describing: error))")
    }

    @Test func aGrafanaDashboardWithTooManyPanelsIsRefused() throws {
        let panel = #"{"type":"stat","title":"p","targets":[{"expr":"up"}]}"#
        let json = #"{"title":"many","panels":["# + Array(repeating: panel, count: 1001).joined(separator: ",") + "]}"
        let error = #expect(throws: DashboardFileError.self) {
            _ = try GrafanaImport.parse(json: Data(json.utf8), file: "many.json", name: "many")
        }
        #expect(error?.message.contains("1001 panels, more than the 1000") == true, "\(String(describing: error))")
        // At the limit it loads.
        let fits = #"{"title":"fits","panels":["# + Array(repeating: panel, count: 1000).joined(separator: ",") + "]}"
        #expect(
            try GrafanaImport.parse(json: Data(fits.utf8), file: "fits.json", name: "fits").dashboard.panels.count
                == 1000)
    }

    @Test func aYAMLDashboardWithTooManyPanelsIsRefused() throws {
        let yaml = "title: many\npanels:\n" + String(repeating: "  - {title: p, type: stat, query: up}\n", count: 1001)
        let error = #expect(throws: DashboardFileError.self) {
            _ = try DashboardFile.parse(yaml: yaml, file: "many.yaml", name: "many")
        }
        #expect(error?.message.contains("1001 panels") == true, "\(String(describing: error))")
    }
}
