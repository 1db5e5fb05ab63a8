package dev.storefront.errors;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import io.grpc.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTests {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void callerIdsOfSafeCharactersShouldBeKept() {
        assertThat(RequestIds.acceptOrGenerate("abc-123_x.Y")).isEqualTo("abc-123_x.Y");
        String longest = "a".repeat(128);
        assertThat(RequestIds.acceptOrGenerate(longest)).isEqualTo(longest);
    }

    @Test
    void unsafeOrMissingIdsShouldBeReplacedByANewUuid() {
        for (String unsafe : new String[] { null, "", "a".repeat(129), "id with spaces", "x\r\nSet-Cookie: a=b",
                "<script>", "ünïcode" }) {
            String id = RequestIds.acceptOrGenerate(unsafe);
            assertThat(id).isNotEqualTo(unsafe).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        }
    }

    @Test
    void newIdsShouldBeDistinctVersion4Uuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.acceptOrGenerate(null);
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void currentShouldReadTheMdcThenTheGrpcContextElseBeEmpty() throws Exception {
        assertThat(RequestIds.current()).isEmpty();
        String fromContext = Context.current().withValue(RequestIds.GRPC_CONTEXT_KEY, "grpc-1").call(RequestIds::current);
        assertThat(fromContext).isEqualTo("grpc-1");
        MDC.put(RequestIds.MDC_KEY, "rest-1");
        assertThat(RequestIds.current()).isEqualTo("rest-1");
    }

}
