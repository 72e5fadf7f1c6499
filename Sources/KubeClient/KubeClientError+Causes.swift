import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

extension KubeClientError {
    /// A sentence for an error AsyncHTTPClient, NIO or BoringSSL threw while GETting `path` from `server`.
    /// Only the error's kind and well-known codes are used, so no header or body can leak into it.
    static func from(_ error: any Error, server: String, path: String, options: KubeClient.Options) -> KubeClientError {
        let request = "GET \(path)"
        if let error = error as? KubeClientError { return error }
        if let error = error as? BodyReading.TooLarge {
            let size = error.announced.map { "is \(byteText($0))" } ?? "passed \(byteText(error.received))"
            return KubeClientError(
                .tooLarge,
                "the answer of \(server) to GET \(path) \(size), over the \(byteText(options.maximumResponseBytes)) limit; it was not read further (ask for less, e.g. with ?limit=, or raise --max-response-size)"
            )
        }
        if let error = error as? BodyReading.OverBudget {
            // A connection problem, in kind: asked again, it goes through once the other answers are read.
            return KubeClientError(
                .connection,
                "stopped reading the answer of \(server) to \(request) after \(byteText(error.received)): answers being read at once already held \(byteText(error.heldByOthers)) of the \(byteText(options.maximumResponseBytes)) limit (--max-response-size)"
            )
        }
        if let error = error as? BodyReading.Cut {
            let of = error.announced.map { " of the \($0) announced" } ?? ""
            return KubeClientError(
                .connection,
                "\(server) cut its answer to \(request) short: the body ended at byte offset \(error.received)\(of) (\(cutCause(error.cause)))"
            )
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return KubeClientError(
                    .timeout,
                    "cannot connect to \(server): no answer within \(seconds(options.connectTimeout)) (is the API server up, and is the address reachable from here?)"
                )
            case .tlsHandshakeTimeout:
                return KubeClientError(
                    .timeout, "TLS handshake with \(server) did not finish within \(seconds(options.connectTimeout))")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return KubeClientError(
                    .timeout, "\(server) did not answer \(request) within \(seconds(options.requestTimeout))")
            case .remoteConnectionClosed:
                return KubeClientError(.connection, "\(server) closed the connection during \(request)")
            case .alreadyShutdown:
                return KubeClientError(.connection, "the client for \(server) was shut down before \(request)")
            case .invalidURL, .emptyHost, .emptyScheme:
                return KubeClientError(
                    .invalidConfiguration, "\(server)\(path) is not a valid URL (check server in the kubeconfig)")
            default:
                if error.shortDescription == "Unsupported scheme" {
                    return KubeClientError(
                        .invalidConfiguration,
                        "\(server) is not an http:// or https:// URL (check server in the kubeconfig)")
                }
                return KubeClientError(
                    .connection, "\(request) from \(server) failed: \(error.shortDescription.lowercased())")
            }
        }
        if error is NIOTooManyBytesError {
            return tooLarge(server: server, path: path, limit: options.maximumResponseBytes)
        }
        if let error = error as? NIOSSLError {
            return KubeClientError(.tls, "TLS handshake with \(server) failed: \(tlsCause(error))")
        }
        if let error = error as? BoringSSLError {
            return KubeClientError(.tls, "TLS handshake with \(server) failed: \(tlsCause(error))")
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return KubeClientError(
                .tls,
                "TLS handshake with \(server) failed: the server's certificate is not valid for \(hostname(server)) (set tls-server-name in the kubeconfig to a name the certificate holds)"
            )
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error {
                return KubeClientError(
                    .timeout,
                    "cannot connect to \(server): no answer within \(seconds(options.connectTimeout)) (is the API server up, and is the address reachable from here?)"
                )
            }
            return KubeClientError(.connection, "\(request) from \(server) failed: the connection broke (\(error))")
        }
        let typeName = String(reflecting: type(of: error))
        if typeName.contains("DecompressionError") {
            if String(describing: error).contains("limit") {
                return tooLarge(server: server, path: path, limit: options.maximumResponseBytes)
            }
            return KubeClientError(.connection, "\(server) sent a gzip body for \(request) that cannot be decompressed")
        }
        if let io = underlyingIOError(error) {
            return KubeClientError(.connection, "cannot connect to \(server): \(errnoText(io.errnoCode))")
        }
        if typeName.contains("NIOConnectionError") {
            // Only DNS failures reach here: a failed connect carries an IOError, found above.
            return KubeClientError(
                .connection, "cannot connect to \(server): the name \(hostname(server)) could not be resolved")
        }
        if error is CancellationError {
            return KubeClientError(.connection, "\(request) from \(server) was cancelled")
        }
        return KubeClientError(
            .connection, "\(request) from \(server) failed: \(typeName.split(separator: ".").last ?? "unknown error")")
    }

    static func tooLarge(server: String, path: String, limit: Int) -> KubeClientError {
        KubeClientError(
            .tooLarge,
            "the answer of \(server) to GET \(path) is larger than the \(byteText(limit)) limit (ask for less, e.g. with ?limit=, or raise the limit)"
        )
    }

    /// What went wrong in the handshake, as advice. BoringSSL's reason codes are stable names.
    private static func tlsCause(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return
                "the server's certificate is not signed by the cluster's certificate authority (check certificate-authority in the kubeconfig)"
        }
        if text.contains("ALERT_CERTIFICATE_REQUIRED") {
            return
                "the server wants a client certificate and none was given (set client-certificate and client-key in the kubeconfig)"
        }
        if text.contains("ALERT_BAD_CERTIFICATE") || text.contains("ALERT_UNKNOWN_CA")
            || text.contains("ALERT_CERTIFICATE_UNKNOWN")
            || text.contains("ALERT_CERTIFICATE_EXPIRED") || text.contains("ALERT_HANDSHAKE_FAILURE")
        {
            return
                "the server refused our client certificate (is client-certificate signed by the cluster's CA, and still valid?)"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") {
            return "the server does not speak TLS (should the server URL start with http://?)"
        }
        if case .uncleanShutdown? = error as? NIOSSLError {
            return "the server closed the connection during the handshake (does it want a client certificate?)"
        }
        return "\(error)"
    }

    private static func underlyingIOError(_ error: any Error, depth: Int = 0) -> IOError? {
        if let io = error as? IOError { return io }
        guard depth < 4 else { return nil }
        // NIOConnectionError (NIOPosix) holds one failure per address tried; the last one says most.
        var found: IOError?
        for child in Mirror(reflecting: error).children {
            if let nested = child.value as? any Error, let io = underlyingIOError(nested, depth: depth + 1) {
                found = io
            }
            if let list = child.value as? [Any] {
                for item in list {
                    for field in Mirror(reflecting: item).children {
                        if let nested = field.value as? any Error, let io = underlyingIOError(nested, depth: depth + 1)
                        {
                            found = io
                        }
                    }
                }
            }
        }
        return found
    }

    private static func errnoText(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused (is the API server running, and is the port right?)"
        case ETIMEDOUT: "the connection timed out"
        case EHOSTUNREACH, ENETUNREACH: "no route to the host"
        case ECONNRESET: "the connection was reset"
        default: String(cString: strerror(code)).lowercased()
        }
    }

    static func hostname(_ server: String) -> String {
        URLComponents(string: server)?.host ?? server
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, atto) = duration.components
        if atto == 0 { return "\(whole)s" }
        return String(format: "%.1fs", Double(whole) + Double(atto) / 1e18)
    }

    /// Why a body ended early, in a few words.
    private static func cutCause(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return "the connection closed" }
        let name = String(describing: type(of: error))
        return name.contains("HTTPParserError") ? "the connection closed mid-body" : "\(name.lowercased())"
    }

    static func byteText(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        // Not a round size: a tenth of a MiB is precise enough for a body's size.
        if bytes >= 1 << 20 { return "\((Double(bytes) / Double(1 << 20) * 10).rounded() / 10) MiB" }
        return "\(bytes) bytes"
    }
}
