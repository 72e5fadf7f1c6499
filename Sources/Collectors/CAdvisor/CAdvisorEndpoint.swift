import AsyncHTTPClient
import Foundation
import NIOCore

/// One `--cadvisor [NAME=]URL`: a node's cAdvisor and the node's name (the URL's host unless named).
public struct CAdvisorEndpoint: Sendable, Equatable {
    public var node: String
    /// Without a trailing slash: requests append `/api/v1.3/…`.
    public var url: String

    public init(node: String, url: String) {
        self.node = node
        self.url = url
    }

    /// `http://10.0.0.5:4194`, or `node-05=http://10.0.0.5:8080` to give the node its Kubernetes name.
    public init(_ text: String) throws {
        var name: String?
        var address = text
        if let eq = text.firstIndex(of: "="), let scheme = text.range(of: "://"), eq < scheme.lowerBound {
            name = String(text[..<eq])
            address = String(text[text.index(after: eq)...])
        }
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw CAdvisorError(
                "\(text) is not a cAdvisor URL; give one like http://10.0.0.5:4194 or node-05=http://10.0.0.5:8080")
        }
        while address.hasSuffix("/") { address.removeLast() }
        if address.hasSuffix("/api/v1.3") { address.removeLast("/api/v1.3".count) }
        self.url = address
        node = name.flatMap { $0.isEmpty ? nil : $0 } ?? host
    }

    /// Every `--cadvisor` flag; two URLs that would name the same node must be named apart.
    public static func list(_ flags: [String]) throws -> [CAdvisorEndpoint] {
        let endpoints = try flags.map(CAdvisorEndpoint.init)
        var seen: [String: String] = [:]
        for e in endpoints {
            if let other = seen[e.node] {
                throw CAdvisorError(
                    "\(other) and \(e.url) would both be node \(e.node); name them, e.g. --cadvisor node-01=\(other)")
            }
            seen[e.node] = e.url
        }
        return endpoints
    }

    /// Largest answer read from one cAdvisor: a busy node's subcontainers run to a few MB.
    static let maximumBytes = 64 << 20

    /// GET `path` (`/api/v1.3/machine`) from this cAdvisor; errors are sentences naming the URL.
    func get(_ path: String, timeout: Int64) async throws -> [UInt8] {
        let address = url + path
        var request = HTTPClientRequest(url: address)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "kubeglass")
        let response: HTTPClientResponse
        do {
            response = try await ScrapeTarget.client.execute(request, timeout: .milliseconds(timeout))
        } catch {
            throw CAdvisorError("\(address): cannot connect (\(error)); is cAdvisor running and listening there?")
        }
        guard response.status.code == 200 else {
            let hint =
                response.status.code == 404
                ? "is this a cAdvisor (it serves /api/v1.3/machine) at its base URL?" : "cAdvisor could not answer"
            throw CAdvisorError("\(address): HTTP \(response.status.code) \(response.status.reasonPhrase); \(hint)")
        }
        do {
            return Array(buffer: try await response.body.collect(upTo: Self.maximumBytes))
        } catch is NIOTooManyBytesError {
            throw CAdvisorError("\(address): the answer is larger than \(Self.maximumBytes >> 20) MB")
        } catch {
            throw CAdvisorError("\(address): the answer broke off (\(error))")
        }
    }
}

/// What went wrong reading a cAdvisor, as a sentence.
public struct CAdvisorError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
