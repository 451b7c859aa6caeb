package dev.stagecoach.scheduler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

    private final ApiTokens tokens = ApiTokens.parse(Map.of(
            "ci", "operator:0123456789abcdef-ci",
            "vera", "Viewer:0123456789abcdef-vera",
            "root", "admin:0123456789abcdef-root"));

    @Test
    void aPresentedTokenNamesItsCallerAndRole() {
        assertThat(tokens.lookUp("0123456789abcdef-ci")).contains(new Caller("ci", Role.OPERATOR));
        assertThat(tokens.lookUp("0123456789abcdef-vera")).contains(new Caller("vera", Role.VIEWER));
        assertThat(tokens.lookUp("0123456789abcdef-ci ")).isEmpty();
        assertThat(tokens.lookUp("")).isEmpty();
    }

    @Test
    void rolesCoverTheRolesBelowThem() {
        assertThat(Role.ADMIN.covers(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.covers(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.covers(Role.ADMIN)).isFalse();
        assertThat(Role.VIEWER.covers(Role.OPERATOR)).isFalse();
    }

    @Test
    void aMalformedSettingIsNamedWithWhatWouldBeRight() {
        assertThatThrownBy(() -> ApiTokens.parse(Map.of("ci", "0123456789abcdef0123")))
                .hasMessage("stagecoach.auth.tokens.ci must be <role>:<token>, e.g. operator:<16+ random characters>");
        assertThatThrownBy(() -> ApiTokens.parse(Map.of("ci", "boss:0123456789abcdef0123")))
                .hasMessage("stagecoach.auth.tokens.ci: no role \"boss\"; roles are viewer, operator, admin");
        assertThatThrownBy(() -> ApiTokens.parse(Map.of("ci", "operator:short")))
                .hasMessage("stagecoach.auth.tokens.ci: the token has 5 characters; use at least 16");
    }

    @Test
    void onlyAnAdminRecordsADecisionInAnotherName() {
        Caller operator = new Caller("ci", Role.OPERATOR);
        assertThat(operator.speaksFor(null)).isEqualTo("ci");
        assertThat(operator.speaksFor("ci")).isEqualTo("ci");
        assertThatThrownBy(() -> operator.speaksFor("alice")).isInstanceOf(Caller.ForbiddenNameException.class)
                .hasMessageStartingWith("ci may act only in their own name, not as alice");
        assertThat(new Caller("root", Role.ADMIN).speaksFor("alice")).isEqualTo("alice");
    }
}
