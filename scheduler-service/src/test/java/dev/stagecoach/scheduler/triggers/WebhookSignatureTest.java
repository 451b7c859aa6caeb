package dev.stagecoach.scheduler.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "It's a Secret to Everybody";
    // GitHub's documented example of this secret and body.
    private static final String GITHUB_EXAMPLE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final byte[] RELEASE = "{\"release\": {\"tag_name\": \"1.4.2\"}}".getBytes(StandardCharsets.UTF_8);
    // What docs/pipeline-reference.md's example computes for this body, timestamp and secret:
    // printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret"
    private static final String OPENSSL_TIMESTAMPED = "sha256=553053bbd0c30f501dc5dfc855ad6cec78753d077bf9d194c52ee6a04456c661";

    @Test
    void signsAsGitHubDoes() {
        assertThat(WebhookSignature.sign(BODY, SECRET)).isEqualTo(GITHUB_EXAMPLE);
    }

    @Test
    void acceptsTheRightSignatureInEitherCase() {
        assertThat(WebhookSignature.verify(GITHUB_EXAMPLE, BODY, SECRET)).isEqualTo(WebhookSignature.Verdict.VALID);
        assertThat(WebhookSignature.verify(" " + GITHUB_EXAMPLE.toUpperCase().replace("SHA256=", "sha256="), BODY, SECRET))
                .isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void refusesAnotherBodyOrSecret() {
        assertThat(WebhookSignature.verify(GITHUB_EXAMPLE, "Hello, World?".getBytes(StandardCharsets.UTF_8), SECRET))
                .isEqualTo(WebhookSignature.Verdict.MISMATCH);
        assertThat(WebhookSignature.verify(GITHUB_EXAMPLE, BODY, SECRET + "!")).isEqualTo(WebhookSignature.Verdict.MISMATCH);
    }

    @Test
    void tellsAMalformedSignatureFromAWrongOne() {
        assertThat(WebhookSignature.verify("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", BODY, SECRET))
                .isEqualTo(WebhookSignature.Verdict.MALFORMED);
        assertThat(WebhookSignature.verify("sha1=0123456789abcdef0123456789abcdef01234567", BODY, SECRET))
                .isEqualTo(WebhookSignature.Verdict.MALFORMED);
        assertThat(WebhookSignature.verify("sha256=xyz", BODY, SECRET)).isEqualTo(WebhookSignature.Verdict.MALFORMED);
        assertThat(WebhookSignature.verify("", BODY, SECRET)).isEqualTo(WebhookSignature.Verdict.MALFORMED);
    }

    @Test
    void signsATimestampedBodyAsOpensslDoesOverTimestampDotBody() {
        assertThat(WebhookSignature.sign("1700000000", RELEASE, "it-is-a-test-secret")).isEqualTo(OPENSSL_TIMESTAMPED);
        assertThat(WebhookSignature.verify(OPENSSL_TIMESTAMPED, "1700000000", RELEASE, "it-is-a-test-secret"))
                .isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void timestampedSignatureDoesNotPassForAnotherTimestampOrForTheBodyAlone() {
        assertThat(WebhookSignature.verify(OPENSSL_TIMESTAMPED, "1700000001", RELEASE, "it-is-a-test-secret"))
                .isEqualTo(WebhookSignature.Verdict.MISMATCH);
        assertThat(WebhookSignature.verify(OPENSSL_TIMESTAMPED, RELEASE, "it-is-a-test-secret"))
                .isEqualTo(WebhookSignature.Verdict.MISMATCH);
        assertThat(WebhookSignature.verify(WebhookSignature.sign(RELEASE, "it-is-a-test-secret"), "1700000000", RELEASE, "it-is-a-test-secret"))
                .isEqualTo(WebhookSignature.Verdict.MISMATCH);
    }
}
