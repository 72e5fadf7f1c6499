import ArgumentParser
import Foundation
import KubeglassCore
import TSDB

/// Flags for the TSDBs panels can query: a Prometheus-compatible server and InfluxDB 1.x (Heapster's schema).
struct TSDBOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A Prometheus-compatible server whose PromQL the Prometheus dashboards query, e.g. http://127.0.0.1:9090.",
            valueName: "url"))
    var prometheus: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Basic auth user for --prometheus (the password from $KUBEGLASS_PROMETHEUS_PASSWORD or --prometheus-password-file).",
            valueName: "user"))
    var prometheusUser: String?

    @Option(
        name: .long, help: ArgumentHelp("A file holding the basic auth password for --prometheus.", valueName: "path"))
    var prometheusPasswordFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A file holding a bearer token for --prometheus (read again on every request; $KUBEGLASS_PROMETHEUS_TOKEN also works).",
            valueName: "path"))
    var prometheusTokenFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The CA certificate (PEM) that signed --prometheus's or --influxdb's TLS certificate.", valueName: "path"))
    var tsdbCA: String?

    @Flag(name: .long, help: "Do not verify the TSDBs' TLS certificates (the header says so).")
    var insecure = false

    @Option(
        name: .long,
        help: ArgumentHelp("The finest step asked of Prometheus, about its scrape interval.", valueName: "duration"))
    var prometheusStep: String = "15s"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An InfluxDB 1.x server with Heapster's schema, e.g. http://127.0.0.1:8086.", valueName: "url"))
    var influxdb: String?

    @Option(name: .long, help: ArgumentHelp("The InfluxDB database.", valueName: "name"))
    var influxDb: String = "k8s"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "InfluxDB user (the password from $KUBEGLASS_INFLUX_PASSWORD or --influx-password).", valueName: "user"))
    var influxUser: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "InfluxDB password (visible to other users in ps: prefer $KUBEGLASS_INFLUX_PASSWORD).",
            valueName: "password"))
    var influxPassword: String?

    var anyGiven: Bool { prometheus != nil || influxdb != nil }

    func validate() throws {
        guard let s = DurationText.milliseconds(prometheusStep), s >= 1000 else {
            throw ValidationError("--prometheus-step must be a duration of at least 1s (got \"\(prometheusStep)\")")
        }
        for (flag, url) in [("--prometheus", prometheus), ("--influxdb", influxdb)] {
            if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw ValidationError("\(flag) wants an http:// or https:// URL (got \"\(url)\")")
            }
        }
    }

    func prometheusClient() throws -> PrometheusClient? {
        guard let prometheus else { return nil }
        let env = ProcessInfo.processInfo.environment
        var auth = TSDBAuth.none
        if let file = prometheusTokenFile {
            auth = .bearerFile(file)
        } else if let token = env["KUBEGLASS_PROMETHEUS_TOKEN"], !token.isEmpty {
            auth = .bearer(token)
        } else if let user = prometheusUser {
            var password = env["KUBEGLASS_PROMETHEUS_PASSWORD"] ?? ""
            if let file = prometheusPasswordFile {
                let data: Data
                switch FileContents.read(file) {
                case .success(let bytes): data = bytes
                case .failure(let failure):
                    throw ValidationError("cannot read --prometheus-password-file \(file) (\(failure.reason))")
                }
                password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            auth = .basic(user: user, password: password)
        }
        do {
            return try PrometheusClient(baseURL: prometheus, auth: auth, caFile: tsdbCA, insecure: insecure)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func influxClient() throws -> InfluxClient? {
        guard let influxdb else { return nil }
        let password = influxPassword ?? ProcessInfo.processInfo.environment["KUBEGLASS_INFLUX_PASSWORD"]
        do {
            return try InfluxClient(
                baseURL: influxdb, database: influxDb, user: influxUser, password: password, caFile: tsdbCA,
                insecure: insecure)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
