import Foundation

/// What one request presents: an Authorization header and/or a client certificate from a plugin.
struct Presented: Sendable {
    var authorization: Secret?
    var identity: ClientIdentity?
    /// Which credential this was, so a 401 invalidates only the credential that was refused.
    var generation: Int
}

/// Who we are to the API server, as client-go decides it: a token, a token file (re-read at most once
/// a period), basic auth, or an exec plugin (cached until its expiry, run again after a 401).
actor ClientCredentials {
    enum Method: Sendable {
        case anonymous
        case token(Secret)
        case tokenFile(path: String, fallback: Secret?)
        case basic(username: String, password: Secret)
        case exec(ExecPlugin)
    }

    let method: Method
    private let cluster: ClusterAccess
    private let tokenFileRefresh: Duration
    private let execTimeout: Duration

    private var generation = 0
    private var fileToken: (token: Secret, readAt: ContinuousClock.Instant)?
    private var execCached: ExecCredential?
    private var execRunning: Task<Result<ExecCredential, KubeClientError>, Never>?

    init(_ access: ClusterAccess, tokenFileRefresh: Duration, execTimeout: Duration) {
        // client-go: a token wins over an exec plugin, a token file is read in place of the token, basic auth last.
        if let path = access.tokenFile {
            method = .tokenFile(path: path, fallback: access.token)
        } else if let token = access.token {
            method = .token(token)
        } else if let exec = access.exec {
            method = .exec(exec)
        } else if let username = access.username {
            method = .basic(username: username, password: access.password ?? Secret(""))
        } else {
            method = .anonymous
        }
        self.cluster = access
        self.tokenFileRefresh = tokenFileRefresh
        self.execTimeout = execTimeout
    }

    /// The credential for the next request.
    func current() async throws(KubeClientError) -> Presented {
        switch method {
        case .anonymous:
            return Presented(generation: generation)
        case .token(let token):
            return Presented(authorization: Secret("Bearer " + token.text), generation: generation)
        case .basic(let username, let password):
            let pair = Data((username + ":" + password.text).utf8).base64EncodedString()
            return Presented(authorization: Secret("Basic " + pair), generation: generation)
        case .tokenFile(let path, let fallback):
            let token = try tokenFromFile(path, fallback: fallback, force: false)
            return Presented(authorization: Secret("Bearer " + token.text), generation: generation)
        case .exec(let plugin):
            let credential = try await execCredential(plugin)
            return Presented(
                authorization: credential.token.map { Secret("Bearer " + $0.text) }, identity: credential.identity,
                generation: generation)
        }
    }

    /// The server answered 401 to `presented`: drop it. True when a retry may see a different credential.
    func rejected(_ presented: Presented) -> Bool {
        switch method {
        case .anonymous, .token, .basic:
            return false
        case .tokenFile(let path, let fallback):
            guard presented.generation == generation else { return true }
            let before = fileToken?.token
            guard let after = try? tokenFromFile(path, fallback: fallback, force: true) else { return false }
            return after != before
        case .exec:
            // Another request may already have run the plugin again since.
            if presented.generation == generation {
                execCached = nil
                generation += 1
            }
            return true
        }
    }

    private func tokenFromFile(_ path: String, fallback: Secret?, force: Bool) throws(KubeClientError) -> Secret {
        let now = ContinuousClock.now
        if !force, let fileToken, fileToken.readAt.duration(to: now) < tokenFileRefresh { return fileToken.token }
        do {
            let text = String(decoding: try FileProblem.contents(of: path), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw FileProblem(description: "it is empty") }
            let token = Secret(text)
            if token != fileToken?.token { generation += 1 }
            fileToken = (token, now)
            return token
        } catch {
            // As client-go: keep using the last good token when a rotation is half done.
            if let known = fileToken?.token ?? fallback { return known }
            throw KubeClientError(.credentials, "could not read tokenFile \(path): \(error)")
        }
    }

    private func execCredential(_ plugin: ExecPlugin) async throws(KubeClientError) -> ExecCredential {
        if let cached = execCached, cached.expiry.map({ $0 > Date() }) ?? true { return cached }
        // One run serves every request waiting for it.
        let task: Task<Result<ExecCredential, KubeClientError>, Never>
        if let running = execRunning {
            task = running
        } else {
            let cluster = self.cluster
            let timeout = execTimeout
            task = Task {
                do throws(KubeClientError) {
                    return .success(try await ExecCredential.obtain(from: plugin, cluster: cluster, timeout: timeout))
                } catch {
                    return .failure(error)
                }
            }
            execRunning = task
        }
        let result = await task.value
        if execRunning == task {
            execRunning = nil
            if case .success(let credential) = result {
                execCached = credential
                generation += 1
            }
        }
        return try result.get()
    }
}
