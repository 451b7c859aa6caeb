package dev.stagecoach.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SealedParametersTest {

    private static final String VALUE = "hunter2-ü-\u00e9t\u00e9";
    private final String oldKey = SecretKeyRing.generate("2026-11");
    private final String newKey = SecretKeyRing.generate("2026-12");
    private final SecretKeyRing ring = SecretKeyRing.of(Optional.of(oldKey), Optional.empty());

    @Test
    void aSealedValueOpensForItsRunAndParameterAndShowsNothingOfTheValue() throws Exception {
        String sealed = SealedParameters.seal(ring, "run-1", "token", VALUE);

        assertThat(sealed).startsWith("sealed:v1:2026-11:").doesNotContain(VALUE, base64(VALUE));
        assertThat(SealedParameters.isSealed(sealed)).isTrue();
        assertThat(SealedParameters.seal(ring, "run-1", "token", VALUE)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(SealedParameters.open(ring, "run-1", "token", sealed)).isEqualTo(VALUE);
    }

    @Test
    void aSealedValueCopiedToAnotherRunOrParameterOrAlteredDoesNotOpen() {
        String sealed = SealedParameters.seal(ring, "run-1", "token", VALUE);
        String expected = "secret parameter \"token\" does not open with key \"2026-11\": it was altered, or sealed for another run or parameter";

        assertThatThrownBy(() -> SealedParameters.open(ring, "run-2", "token", sealed)).hasMessage(expected);
        assertThatThrownBy(() -> SealedParameters.open(ring, "run-1", "other", sealed))
                .hasMessage(expected.replace("\"token\"", "\"other\""));
        // Not the last character: that one may carry only padding bits, which no decoder reads.
        int at = sealed.length() - 5;
        String altered = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
        assertThatThrownBy(() -> SealedParameters.open(ring, "run-1", "token", altered)).hasMessage(expected);
        assertThatThrownBy(() -> SealedParameters.open(ring, "run-1", "token", VALUE))
                .hasMessageContaining("is not sealed").hasMessageNotContaining(VALUE);
    }

    @Test
    void afterARotationTheNewKeySealsAndTheOldOneStillOpensWhatItSealed() throws Exception {
        String sealedBefore = SealedParameters.seal(ring, "run-1", "token", VALUE);
        SecretKeyRing rotated = SecretKeyRing.of(Optional.of(newKey), Optional.of(" " + oldKey + " ,"));

        String sealedAfter = SealedParameters.seal(rotated, "run-2", "token", VALUE);
        assertThat(sealedAfter).startsWith("sealed:v1:2026-12:");
        assertThat(SealedParameters.open(rotated, "run-1", "token", sealedBefore)).isEqualTo(VALUE);
        assertThat(SealedParameters.open(rotated, "run-2", "token", sealedAfter)).isEqualTo(VALUE);
        assertThatThrownBy(() -> SealedParameters.open(ring, "run-2", "token", sealedAfter))
                .hasMessage("secret parameter \"token\" is sealed with key \"2026-12\", which this service does not have "
                        + "(it has 2026-11); add it to stagecoach.secrets.previous-keys");
        assertThatThrownBy(() -> SealedParameters.open(SecretKeyRing.none(), "run-2", "token", sealedAfter))
                .hasMessageContaining("set stagecoach.secrets.key (STAGECOACH_SECRETS_KEY) as on the scheduler");
    }

    @Test
    void aKeyThatCannotBeUsedIsNamedWithItsSettingButNeverShown() {
        String material = Base64.getEncoder().encodeToString("twelve bytes".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SecretKeyRing.of(Optional.of("k1:" + material), Optional.empty()))
                .hasMessage("stagecoach.secrets.key: key \"k1\" has 12 bytes; an AES key has 16, 24 or 32 (32 recommended)");
        assertThatThrownBy(() -> SecretKeyRing.of(Optional.of(material), Optional.empty()))
                .hasMessageStartingWith("stagecoach.secrets.key: write a key as <id>:<base64 of 32 random bytes>")
                .hasMessageNotContaining(material);
        assertThatThrownBy(() -> SecretKeyRing.of(Optional.of(newKey), Optional.of("k2:not base64!")))
                .hasMessage("stagecoach.secrets.previous-keys: key \"k2\" is not valid Base64 after its id");
        assertThatThrownBy(() -> SecretKeyRing.of(Optional.of(oldKey), Optional.of(oldKey)))
                .hasMessageContaining("key id \"2026-11\" is given twice");
        assertThat(SecretKeyRing.of(Optional.empty(), Optional.empty()).canSeal()).isFalse();
        assertThatThrownBy(() -> SealedParameters.seal(SecretKeyRing.none(), "run-1", "token", VALUE))
                .hasMessage("no key seals secret parameters: set stagecoach.secrets.key");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
