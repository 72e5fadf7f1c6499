import Foundation
import TestSupport

/// A cluster's worth of certificates made with the openssl CLI, once per test run: a CA, a server
/// certificate for 127.0.0.1 and localhost, one for api.kubeglass.test only, an unrelated CA, and client
/// certificates with RSA (PKCS#8 and PKCS#1) and EC (SEC1) keys.
struct KubeClientCertificates: Sendable {
    let folder: String

    var ca: String { at("ca.crt") }
    var otherCA: String { at("other-ca.crt") }
    var serverCertificate: String { at("server.crt") }
    var serverKey: String { at("server.key") }
    var namedServerCertificate: String { at("named.crt") }
    var namedServerKey: String { at("named.key") }
    var rsaClientCertificate: String { at("client-rsa.crt") }
    /// PKCS#8 (`BEGIN PRIVATE KEY`).
    var rsaClientKey: String { at("client-rsa.key") }
    /// PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    var rsaClientKeyPKCS1: String { at("client-rsa-pkcs1.key") }
    var ecClientCertificate: String { at("client-ec.crt") }
    /// SEC1 (`BEGIN EC PRIVATE KEY`).
    var ecClientKey: String { at("client-ec.key") }
    /// A certificate signed by the other CA: the server must refuse it.
    var strangerCertificate: String { at("stranger.crt") }
    var strangerKey: String { at("stranger.key") }

    func at(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    static let shared: Result<KubeClientCertificates, SpawnError> = Result { () throws(SpawnError) in try make() }

    private static func make() throws(SpawnError) -> KubeClientCertificates {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("kubeglass-certs-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw SpawnError(message: "cannot create \(folder)")
        }
        let certs = KubeClientCertificates(folder: folder)
        func openssl(_ args: String...) throws(SpawnError) {
            let result: (status: Int32, output: String)
            do { result = try spawn(["openssl"] + args) } catch { throw SpawnError(message: "\(error)") }
            guard result.status == 0 else {
                throw SpawnError(message: "openssl \(args.joined(separator: " ")) failed: \(result.output)")
            }
        }
        func write(_ name: String, _ text: String) throws(SpawnError) {
            do { try text.write(toFile: certs.at(name), atomically: true, encoding: .utf8) } catch {
                throw SpawnError(message: "cannot write \(name)")
            }
        }
        try write("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try write("named.ext", "subjectAltName=DNS:api.kubeglass.test\nextendedKeyUsage=serverAuth\n")
        try write("client.ext", "extendedKeyUsage=clientAuth\n")

        for (name, subject) in [("ca", "/CN=kubeglass-test-ca"), ("other-ca", "/CN=someone-else-ca")] {
            try openssl(
                "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-keyout", certs.at("\(name).key"), "-out", certs.at("\(name).crt"), "-days", "2", "-subj", subject)
        }
        func sign(_ name: String, subject: String, ext: String, by ca: String) throws(SpawnError) {
            try openssl(
                "req", "-new", "-key", certs.at("\(name).key"), "-out", certs.at("\(name).csr"), "-subj", subject)
            try openssl(
                "x509", "-req", "-in", certs.at("\(name).csr"), "-CA", certs.at("\(ca).crt"), "-CAkey",
                certs.at("\(ca).key"),
                "-set_serial", "\(Int.random(in: 1000...999_999))", "-days", "2", "-out", certs.at("\(name).crt"),
                "-extfile", certs.at(ext))
        }
        for name in ["server", "named", "stranger"] {
            try openssl(
                "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", certs.at("\(name).key"))
        }
        try sign("server", subject: "/CN=localhost", ext: "server.ext", by: "ca")
        try sign("named", subject: "/CN=api.kubeglass.test", ext: "named.ext", by: "ca")
        try sign("stranger", subject: "/CN=stranger", ext: "client.ext", by: "other-ca")

        try openssl(
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", certs.at("client-rsa.key"))
        try openssl("rsa", "-in", certs.at("client-rsa.key"), "-traditional", "-out", certs.at("client-rsa-pkcs1.key"))
        try sign("client-rsa", subject: "/CN=rsa-user/O=system:masters", ext: "client.ext", by: "ca")
        try openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", certs.at("client-ec.key"))
        try sign("client-ec", subject: "/CN=ec-user", ext: "client.ext", by: "ca")
        return certs
    }
}
