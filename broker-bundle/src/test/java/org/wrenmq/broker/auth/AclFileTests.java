package org.wrenmq.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wrenmq.broker.ConfigException;
import org.wrenmq.broker.routing.Topics;

/** The acl_file as mosquitto 2 reads and applies it (src/security_default.c), checked without a broker. */
class AclFileTests {

    private static ClientRules rules(String clientId, String user, String... lines) {
        return AclFile.parse("acl", List.of(lines)).forClient(clientId, user, Set.of());
    }

    private static ClientRules withRoles(String user, Set<String> roles, String... lines) {
        return AclFile.parse("acl", List.of(lines)).forClient("c", user, roles);
    }

    private static boolean reads(ClientRules r, String topic) {
        return r.allows(Topics.levels(topic), AclRule.READ);
    }

    private static boolean writes(ClientRules r, String topic) {
        return r.allows(Topics.levels(topic), AclRule.WRITE);
    }

    private static boolean subscribes(ClientRules r, String filter) {
        return r.mayReadUnder(Topics.levels(filter));
    }

    @Test
    @DisplayName("topic lines before any user line are the anonymous client's; a user gets only its own block")
    void anonymousSectionComesBeforeTheFirstUserLine() {
        String[] file = {"topic read public/#", "user alice", "topic alice/#"};

        assertThat(reads(rules("c", null, file), "public/news")).isTrue();
        assertThat(reads(rules("c", null, file), "alice/x")).isFalse();
        assertThat(reads(rules("c", "alice", file), "alice/x")).isTrue();
        assertThat(reads(rules("c", "alice", file), "public/news")).isFalse();
        assertThat(reads(rules("c", "bob", file), "alice/x")).isFalse();
    }

    @Test
    @DisplayName("no access word means readwrite; read, write and readwrite grant what they say")
    void accessWords() {
        String[] file = {"topic both", "topic read r", "topic write w", "topic readwrite rw"};
        ClientRules r = rules("c", null, file);

        assertThat(reads(r, "both")).isTrue();
        assertThat(writes(r, "both")).isTrue();
        assertThat(reads(r, "r")).isTrue();
        assertThat(writes(r, "r")).isFalse();
        assertThat(reads(r, "w")).isFalse();
        assertThat(writes(r, "w")).isTrue();
        assertThat(reads(r, "rw")).isTrue();
        assertThat(writes(r, "rw")).isTrue();
        assertThat(reads(r, "other")).as("not granted is denied").isFalse();
    }

    @Test
    @DisplayName("deny wins over a grant in the same section, wherever it stands")
    void denyWinsInItsSection() {
        ClientRules r = rules("c", "u", "user u", "topic a/#", "topic deny a/secret", "topic read b/#",
                "topic deny b/+/x");

        assertThat(reads(r, "a/open")).isTrue();
        assertThat(reads(r, "a/secret")).isFalse();
        assertThat(writes(r, "a/secret")).isFalse();
        assertThat(reads(r, "b/1/x")).isFalse();
        assertThat(reads(r, "b/1/y")).isTrue();
    }

    @Test
    @DisplayName("patterns substitute %c and %u; a %u pattern does not apply to anonymous clients")
    void patternsSubstituteClientIdAndUserName() {
        String[] file = {"pattern readwrite devices/%c/#", "pattern read users/%u/inbox", "pattern write %u/%c"};

        ClientRules dev = rules("dev1", "alice", file);
        assertThat(writes(dev, "devices/dev1/temp")).isTrue();
        assertThat(writes(dev, "devices/dev2/temp")).isFalse();
        assertThat(reads(dev, "users/alice/inbox")).isTrue();
        assertThat(reads(dev, "users/bob/inbox")).isFalse();
        assertThat(writes(dev, "alice/dev1")).isTrue();

        ClientRules anonymous = rules("dev1", null, file);
        assertThat(writes(anonymous, "devices/dev1/temp")).isTrue();
        assertThat(reads(anonymous, "users/%u/inbox")).isFalse();
    }

    @Test
    @DisplayName("a client id or user name with + or # gets nothing from patterns (mosquitto's guard)")
    void wildcardsInIdentityGetNoPatternRights() {
        String[] file = {"pattern readwrite devices/%c/#", "user alice", "topic own/#"};

        assertThat(writes(rules("a+b", null, file), "devices/a+b/x")).isFalse();
        assertThat(writes(rules("#", null, file), "devices/x")).isFalse();
        assertThat(writes(rules("dev", "alice", file), "own/x")).as("own block still applies").isTrue();
    }

    @Test
    @DisplayName("the user's own block is asked first: its grant stands even if a pattern denies")
    void ownBlockBeforePatterns() {
        String[] file = {"pattern deny secret/%u", "user alice", "topic secret/alice"};

        assertThat(reads(rules("c", "alice", file), "secret/alice")).isTrue();
        assertThat(reads(rules("c", "bob", file), "secret/bob")).isFalse();
    }

    @Test
    @DisplayName("a rule with a wildcard first level does not reach $SYS; a $SYS rule does")
    void dollarTopicsNeedDollarRules() {
        assertThat(reads(rules("c", null, "topic read #"), "$SYS/broker/uptime")).isFalse();
        assertThat(reads(rules("c", null, "topic read $SYS/#"), "$SYS/broker/uptime")).isTrue();
        assertThat(subscribes(rules("c", null, "topic read #"), "$SYS/#")).isFalse();
        assertThat(subscribes(rules("c", null, "topic read $SYS/#"), "$SYS/broker/+")).isTrue();
    }

    @Test
    @DisplayName("a topic filter may contain spaces; comments, blank lines and tabs are fine")
    void layout() {
        ClientRules r = rules("c", "my user", "# comment", "", "  # indented comment", "user my user",
                "topic read\tfloor 1/room a", "topic  write   a b ");

        assertThat(reads(r, "floor 1/room a")).isTrue();
        assertThat(writes(r, "a b")).isTrue();
    }

    @Test
    @DisplayName("SUBSCRIBE: refused when nothing under the filter is readable, granted when part of it is")
    void subscribeNeedsSomethingReadable() {
        ClientRules r = rules("c", null, "topic read a/+/x", "topic write w/#", "topic read d/#",
                "topic deny d/secret/#");

        assertThat(subscribes(r, "a/1/x")).isTrue();
        assertThat(subscribes(r, "a/#")).as("partly readable").isTrue();
        assertThat(subscribes(r, "#")).as("partly readable").isTrue();
        assertThat(subscribes(r, "a/1/y")).isFalse();
        assertThat(subscribes(r, "w/#")).as("write only").isFalse();
        assertThat(subscribes(r, "d/secret/+")).as("covered by a deny").isFalse();
        assertThat(subscribes(r, "d/+")).isTrue();
        assertThat(subscribes(r, "other/#")).isFalse();
    }

    @Test
    @DisplayName("a filter's '#' also matches its parent level, as in MQTT")
    void hashMatchesParent() {
        ClientRules r = rules("c", null, "topic read a/#");

        assertThat(reads(r, "a")).isTrue();
        assertThat(subscribes(r, "a")).isTrue();
        assertThat(subscribes(rules("c", null, "topic read a"), "a/#")).isTrue();
    }

    @Test
    @DisplayName("line errors name the file and line")
    void errorsNameFileAndLine() {
        assertThatThrownBy(() -> AclFile.parse("acl", List.of("# ok", "topic sideways a/b")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("acl:2: access must be read, write, readwrite or deny, not 'sideways'");
        assertThatThrownBy(() -> AclFile.parse("acl", List.of("topic")))
                .hasMessage("acl:1: topic filter missing");
        assertThatThrownBy(() -> AclFile.parse("acl", List.of("user")))
                .hasMessage("acl:1: user needs a user name");
        assertThatThrownBy(() -> AclFile.parse("acl", List.of("", "topic read a/#/b")))
                .hasMessageStartingWith("acl:2: invalid topic filter 'a/#/b'");
        assertThatThrownBy(() -> AclFile.parse("acl", List.of("grant a")))
                .hasMessage("acl:1: expected 'topic', 'pattern', 'user' or 'role', not 'grant'");
    }

    @Test
    @DisplayName("WrenMQ: a role block's rules apply to every user holding the role (roles from a JAAS realm)")
    void roleBlocksApplyToUsersHoldingTheRole() {
        String[] file = {"topic read public/#", "role operators", "topic readwrite plant/#", "role viewers",
            "topic read plant/status", "user alice", "topic readwrite alice/#"};

        assertThat(writes(withRoles("alice", Set.of("operators"), file), "plant/valve")).isTrue();
        assertThat(writes(withRoles("alice", Set.of("operators"), file), "alice/x")).as("and her own block")
                .isTrue();
        assertThat(reads(withRoles("bob", Set.of("viewers"), file), "plant/status")).as("no user block needed")
                .isTrue();
        assertThat(writes(withRoles("bob", Set.of("viewers"), file), "plant/status")).isFalse();
        assertThat(reads(withRoles("carol", Set.of(), file), "plant/status")).as("no role, no right").isFalse();
        assertThat(reads(withRoles("carol", Set.of("auditors"), file), "plant/status")).as("a role without block")
                .isFalse();
        assertThat(reads(withRoles("bob", Set.of("viewers"), file), "public/x")).as("the anonymous section")
                .isFalse();
        assertThat(subscribes(withRoles("bob", Set.of("viewers"), file), "plant/#")).as("partly readable").isTrue();
    }

    @Test
    @DisplayName("WrenMQ: a deny in a user's block or any of its roles' blocks wins over a grant in another")
    void denyInAnyRoleWins() {
        String[] file = {"role operators", "topic readwrite plant/#", "role contractors", "topic deny plant/secret",
            "user alice", "topic deny plant/valve"};

        ClientRules both = withRoles("alice", Set.of("operators", "contractors"), file);
        assertThat(reads(both, "plant/status")).isTrue();
        assertThat(reads(both, "plant/secret")).isFalse();
        assertThat(writes(both, "plant/valve")).isFalse();
        assertThat(reads(withRoles("bob", Set.of("operators"), file), "plant/secret")).isTrue();
    }

    @Test
    @DisplayName("anonymous clients hold no role; a role line without a name is an error with file and line")
    void roleLineErrors() {
        assertThat(reads(withRoles(null, Set.of("operators"), "role operators", "topic read plant/#"),
                "plant/x")).isFalse();
        assertThatThrownBy(() -> AclFile.parse("acl", List.of("topic read a", "role ")))
                .isInstanceOf(ConfigException.class).hasMessage("acl:2: role needs a role name");
    }
}
