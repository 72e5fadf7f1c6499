import Foundation

/// Bounds on a dashboard file, so that a huge or generated file is refused in a line instead of
/// freezing the screen while it loads: a Grafana dashboard is rarely over 1 MB or 200 panels.
public enum DashboardLimits {
    /// The largest dashboard file read, in bytes.
    public static let maximumFileBytes = 8 << 20
    /// The most panels (rows and the panels inside them included) a dashboard may have.
    public static let maximumPanels = 1000

    /// Throws when the file at `path` is larger than `maximumFileBytes` (it is not read).
    static func checkSize(of path: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue, size > maximumFileBytes
        else { return }
        throw DashboardFileError(
            file: path, line: nil, column: nil,
            message:
                "the file is \(size >> 20) MiB, larger than the \(maximumFileBytes >> 20) MiB a dashboard file may be; it was not read"
        )
    }

    /// Throws when `count` panels are more than a dashboard may have.
    static func checkPanels(_ count: Int, file: String) throws {
        guard count > maximumPanels else { return }
        throw DashboardFileError(
            file: file, line: nil, column: nil,
            message: "the dashboard has \(count) panels, more than the \(maximumPanels) kubeglass draws; split it")
    }
}
