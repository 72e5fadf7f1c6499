import AsyncHTTPClient
import Foundation
import KubeglassCore
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// How a client proves who it is to a TSDB.
public enum TSDBAuth: Sendable, CustomStringConvertible {
    case none
    case basic(user: String, password: String)
    case bearer(String)
    /// A token file, re-read on every request so a rotated token (a projected service account) is picked up.
    case bearerFile(String)

    /// Names the kind only: a token or password never reaches a log or an error.
    public var description: String {
        switch self {
        case .none: "no auth"
        case .basic(let user, _): "basic auth as \(user)"
        case .bearer: "bearer token"
        case .bearerFile(let path): "bearer token from \(path)"
        }
    }
}

/// Limits every request to a TSDB obeys.
public struct TSDBLimits: Sendable {
    public var connectTimeout: Duration = .seconds(5)
    public var requestTimeout: Duration = .seconds(30)
    /// The largest (decompressed) answer read; a bigger one fails instead of filling memory.
    public var maximumResponseBytes = 64 << 20
    public init() {}
}

/// One answer of a TSDB: its status, a header or two and the whole body.
struct TSDBResponse: Sendable {
    var status: Int
    var reason: String
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// Why a request got no HTTP answer at all, as a sentence naming the server.
struct TSDBTransportFailure: Error, Sendable {
    enum Kind: Sendable { case unreachable, timeout, tls, tooLarge, invalidConfiguration }
    var kind: Kind
    var message: String
}

/// An error kind that has the transport's five cases (each client's error has its own `Kind`).
protocol TransportFailureKinds {
    static var unreachable: Self { get }
    static var timeout: Self { get }
    static var tls: Self { get }
    static var tooLarge: Self { get }
    static var invalidConfiguration: Self { get }
}

extension TSDBTransportFailure {
    func kind<K: TransportFailureKinds>(as: K.Type) -> K {
        switch kind {
        case .unreachable: .unreachable
        case .timeout: .timeout
        case .tls: .tls
        case .tooLarge: .tooLarge
        case .invalidConfiguration: .invalidConfiguration
        }
    }
}

/// The HTTP side shared by the Prometheus and InfluxDB clients: one AsyncHTTPClient with timeouts,
/// a size limit, gzip, TLS (custom CA or none), auth headers, and a count of the bytes received.
final class TSDBConnection: Sendable {
    let baseURL: String
    let auth: TSDBAuth
    let limits: TSDBLimits
    /// What the user calls the server in errors: "Prometheus at http://…".
    let name: String
    private let http: HTTPClient
    private let received = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)

    init(kind: String, baseURL: String, auth: TSDBAuth, caFile: String?, insecure: Bool, limits: TSDBLimits)
        throws(TSDBTransportFailure)
    {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        name = "\(kind) at \(base)"
        guard let url = URLComponents(string: base), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw TSDBTransportFailure(
                kind: .invalidConfiguration,
                message:
                    "\(kind) URL \(baseURL) is not an http:// or https:// URL with a host (e.g. http://localhost:9090)")
        }
        self.baseURL = base
        self.auth = auth
        self.limits = limits
        var tls = TLSConfiguration.makeClientConfiguration()
        if insecure {
            tls.certificateVerification = .none
        } else if let caFile {
            let bytes = try Self.configuredFile(caFile, "the CA file \(caFile) for \(name)")
            guard let roots = try? NIOSSLCertificate.fromPEMBytes(Array(bytes)), !roots.isEmpty else {
                throw TSDBTransportFailure(
                    kind: .invalidConfiguration,
                    message:
                        "the CA file \(caFile) for \(name) holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"
                )
            }
            tls.trustRoots = .certificates(roots)
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(limits.connectTimeout)),
            decompression: .enabled(limit: .size(limits.maximumResponseBytes))
        )
        // A refused connection fails at once instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    deinit {
        // AsyncHTTPClient traps on a client freed without shutdown.
        http.shutdown { _ in }
    }

    func shutdown() async { try? await http.shutdown() }

    /// Body bytes received so far (after gzip decompression), over every request.
    var bytesReceived: Int { received.load(ordering: .relaxed) }
    var requestCount: Int { requests.load(ordering: .relaxed) }

    /// GET `path` with the query `parameters` (percent-encoded here).
    func get(_ path: String, _ parameters: [(String, String)]) async throws(TSDBTransportFailure) -> TSDBResponse {
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(parameters))
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "kubeglass")
        if let authorization = try authorization() { request.headers.add(name: "Authorization", value: authorization) }
        let prepared = request
        let limit = limits.maximumResponseBytes
        let timeout = limits.requestTimeout
        let http = self.http
        let result = await withDeadline(timeout, orFailWith: HTTPClientError.deadlineExceeded) {
            let response = try await http.execute(prepared, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: limit)
            return TSDBResponse(
                status: Int(response.status.code), reason: response.status.reasonPhrase,
                headers: response.headers, body: Array(buffer: body))
        }
        requests.add(1, ordering: .relaxed)
        switch result {
        case .success(let response):
            received.add(response.body.count, ordering: .relaxed)
            return response
        case .failure(let error):
            throw failure(error, path: path)
        }
    }

    private func authorization() throws(TSDBTransportFailure) -> String? {
        switch auth {
        case .none: return nil
        case .basic(let user, let password): return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .bearer(let token): return "Bearer " + token
        case .bearerFile(let path):
            let data = try Self.configuredFile(path, "a bearer token for \(name) from \(path)")
            guard let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                !token.isEmpty
            else {
                throw TSDBTransportFailure(
                    kind: .invalidConfiguration,
                    message: "the bearer token file \(path) for \(name) is empty; it must hold the token")
            }
            return "Bearer " + token
        }
    }

    /// A file the configuration names (a CA, a token), or why it cannot be read: "cannot read `what` (reason)".
    private static func configuredFile(_ path: String, _ what: String) throws(TSDBTransportFailure) -> Data {
        switch FileContents.read(path) {
        case .success(let data): return data
        case .failure(let failure):
            throw TSDBTransportFailure(kind: .invalidConfiguration, message: "cannot read \(what) (\(failure.reason))")
        }
    }

    static func queryString(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        return "?" + parameters.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (so `+`, `&`, `=` and `;` survive).
    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// A sentence for an error AsyncHTTPClient or NIO threw; never includes headers (they may hold a token).
    private func failure(_ error: any Error, path: String) -> TSDBTransportFailure {
        let request = "GET \(path)"
        if let error = error as? TSDBTransportFailure { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return .init(
                    kind: .timeout,
                    message:
                        "cannot connect to \(name): no answer within \(Self.seconds(limits.connectTimeout)) (is it up, and is the address reachable from here?)"
                )
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .init(
                    kind: .timeout,
                    message:
                        "\(name) did not answer \(request) within \(Self.seconds(limits.requestTimeout)) (try a shorter range or a cheaper query)"
                )
            case .remoteConnectionClosed:
                return .init(kind: .unreachable, message: "\(name) closed the connection during \(request)")
            case .tlsHandshakeTimeout:
                return .init(
                    kind: .tls,
                    message:
                        "the TLS handshake with \(name) did not finish within \(Self.seconds(limits.connectTimeout))")
            default:
                return .init(
                    kind: .unreachable,
                    message: "\(request) from \(name) failed: \(error.shortDescription.lowercased())")
            }
        }
        if error is NIOTooManyBytesError || String(reflecting: type(of: error)).contains("DecompressionError") {
            return .init(
                kind: .tooLarge,
                message:
                    "the answer of \(name) to \(request) is larger than the \(limits.maximumResponseBytes >> 20) MiB limit (ask for a shorter range or fewer series)"
            )
        }
        if error is NIOSSLError || error is BoringSSLError {
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return .init(
                    kind: .tls,
                    message:
                        "the TLS certificate of \(name) is not signed by a trusted CA (give its CA file, or use --insecure for a test server)"
                )
            }
            if text.contains("WRONG_VERSION_NUMBER") {
                return .init(kind: .tls, message: "\(name) does not speak TLS (should the URL start with http://?)")
            }
            return .init(kind: .tls, message: "the TLS handshake with \(name) failed: \(text)")
        }
        if let io = Self.ioError(in: error) {
            let cause =
                io.errnoCode == ECONNREFUSED
                ? "connection refused (is it running, and is the port right?)"
                : String(cString: strerror(io.errnoCode)).lowercased()
            return .init(kind: .unreachable, message: "cannot connect to \(name): \(cause)")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .init(
                kind: .timeout,
                message:
                    "cannot connect to \(name): no answer within \(Self.seconds(limits.connectTimeout)) (is it up, and is the address reachable from here?)"
            )
        }
        if String(reflecting: type(of: error)).contains("NIOConnectionError") {
            return .init(kind: .unreachable, message: "cannot connect to \(name): its host name could not be resolved")
        }
        return .init(
            kind: .unreachable,
            message:
                "\(request) from \(name) failed: \(String(reflecting: type(of: error)).split(separator: ".").last ?? "unknown error")"
        )
    }

    /// NIO wraps a failed connect (one failure per address tried) around an IOError.
    private static func ioError(in error: any Error, depth: Int = 0) -> IOError? {
        if let io = error as? IOError { return io }
        guard depth < 4 else { return nil }
        var found: IOError?
        for child in Mirror(reflecting: error).children {
            if let nested = child.value as? any Error, let io = ioError(in: nested, depth: depth + 1) { found = io }
            if let list = child.value as? [Any] {
                for item in list {
                    for field in Mirror(reflecting: item).children {
                        if let nested = field.value as? any Error, let io = ioError(in: nested, depth: depth + 1) {
                            found = io
                        }
                    }
                }
            }
        }
        return found
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, atto) = duration.components
        return atto == 0 ? "\(whole)s" : String(format: "%.1fs", Double(whole) + Double(atto) / 1e18)
    }
}
