import KubeAPI
import Testing

struct ContinueTokenTests {
    func token(_ text: String) -> String?? { KubeDecode.continueToken(Array(text.utf8)) }

    @Test func readsTheTokenWhenMetadataComesFirst() {
        #expect(
            token(
                #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"abc"},"items":[{"x":1}]}"#
            ) == .some("abc"))
        #expect(token(#"{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[]}"#) == .some(nil))
        #expect(token(#"{"metadata":{"continue":""},"items":[]}"#) == .some(nil))
        #expect(token(#"{"metadata":null,"items":[]}"#) == .some(nil))
    }

    @Test func unknownWhenItemsComeFirstOrTheBodyIsBad() {
        #expect(token(#"{"items":[],"metadata":{"continue":"abc"}}"#) == nil)
        #expect(token(#"{"kind":"PodList""#) == nil)
        #expect(token(#"[1,2]"#) == nil)
        #expect(token("") == nil)
        #expect(token(#"{"metadata":{"continue":7},"items":[]}"#) == nil)
    }
}
