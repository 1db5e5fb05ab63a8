package dev.storefront.product;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.storefront.api.product.v1.ListProductsRequest;
import dev.storefront.api.product.v1.ListProductsResponse;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.ProductServiceTest;
import dev.storefront.product.support.RunInfrastructure;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Keyset paging with signed tokens and the text filter, over both protocols, for any signed-in caller. */
@ProductServiceTest
class ProductListingIntegrationTests {

    private final ProductRepository products;

    private final TransactionTemplate transactions;

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    ProductListingIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, ProductRepository products,
            TransactionTemplate transactions, JdbcClient jdbc) {
        this.products = products;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort).as(RunInfrastructure.customerToken());
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    /** Products sharing one creation timestamp (one transaction), their names and skus carrying {@code batch}. */
    private List<String> createInOneTransaction(String batch, int count) {
        return this.transactions.execute((status) -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(this.products.insert(UUID.randomUUID(), "P-" + batch + "-" + i, "Paged " + batch + " " + i, "", 100,
                        "EUR", 1).id().toString());
            }
            return ids;
        });
    }

    @Test
    void productsCreatedInOneTransactionShouldPageWithoutGapsOrRepeats() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> created = createInOneTransaction(batch, 60);
        assertThat(this.jdbc.sql("SELECT count(DISTINCT created_at) FROM products WHERE sku LIKE :pattern")
            .param("pattern", "P-" + batch + "-%")
            .query(Long.class)
            .single()).as("all rows share one timestamp").isEqualTo(1);

        List<String> viaGrpc = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListProductsResponse page = this.grpc.products(RunInfrastructure.customerToken())
                .listProducts(ListProductsRequest.newBuilder().setPageSize(7).setPageToken(token).build());
            assertThat(page.getProductsCount()).isLessThanOrEqualTo(7);
            page.getProductsList().forEach((product) -> viaGrpc.add(product.getId()));
            token = page.getNextPageToken();
            pages++;
        }
        while (!token.isEmpty() && pages < 10_000);

        List<String> viaRest = new ArrayList<>();
        token = "";
        do {
            Answer page = this.rest.get("/v1/products?pageSize=7" + (token.isEmpty() ? "" : "&pageToken=" + token));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("products").forEach((product) -> viaRest.add(product.get("id").asString()));
            token = page.text("nextPageToken");
        }
        while (!token.isEmpty() && viaRest.size() < 100_000);

        assertNoGapsOrRepeats(viaGrpc, created);
        assertNoGapsOrRepeats(viaRest, created);
    }

    private static void assertNoGapsOrRepeats(List<String> seen, List<String> created) {
        Set<String> unique = new HashSet<>(seen);
        assertThat(unique).as("no product repeated").hasSize(seen.size());
        assertThat(unique).as("no product missing").containsAll(created);
    }

    @Test
    void queryShouldMatchNameOrSkuRegardlessOfCaseAndPageThroughMatchesOnly() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> created = createInOneTransaction(batch, 12);
        createInOneTransaction(UUID.randomUUID().toString().substring(0, 8), 3);

        List<String> byName = new ArrayList<>();
        String token = "";
        do {
            ListProductsResponse page = this.grpc.products()
                .listProducts(ListProductsRequest.newBuilder().setQuery("PAGED " + batch.toUpperCase()).setPageSize(5)
                    .setPageToken(token).build());
            page.getProductsList().forEach((product) -> byName.add(product.getId()));
            token = page.getNextPageToken();
        }
        while (!token.isEmpty());
        assertThat(byName).containsExactlyInAnyOrderElementsOf(created);

        Answer bySku = this.rest.get("/v1/products?pageSize=100&query=p-" + batch + "-1");
        assertThat(bySku.body().get("products").findValuesAsString("sku")).containsExactlyInAnyOrder("P-" + batch + "-1",
                "P-" + batch + "-10", "P-" + batch + "-11");
    }

    @Test
    void likeWildcardsInTheQueryShouldMatchThemselvesOnly() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        createInOneTransaction(batch, 2);
        Answer percent = this.rest.get("/v1/products?pageSize=100&query=" + batch + "%25");
        assertThat(percent.status()).isEqualTo(200);
        assertThat(percent.body().get("products").size()).isZero();
        Answer underscore = this.rest.get("/v1/products?pageSize=100&query=P_" + batch);
        assertThat(underscore.body().get("products").size()).isZero();
    }

    @Test
    void textFilterShouldBeServedByTheTrigramIndexes() {
        String plan = this.transactions.execute((status) -> {
            this.jdbc.sql("SET LOCAL enable_seqscan = off").update();
            return String.join("\n", this.jdbc.sql("EXPLAIN SELECT id FROM products WHERE name ILIKE :p OR sku ILIKE :p")
                .param("p", "%espresso%")
                .query(String.class)
                .list());
        });
        assertThat(plan).contains("products_name_trgm_idx").contains("products_sku_trgm_idx");
    }

    @Test
    void tamperedOrForeignPageTokenShouldBeInvalidInputInBothProtocols() {
        createInOneTransaction(UUID.randomUUID().toString().substring(0, 8), 3);
        String token = this.grpc.products().listProducts(ListProductsRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
        assertThat(token).isNotEmpty();
        int dot = token.indexOf('.');
        String alteredSignature = flip(token, dot + 10);
        String alteredCursor = flip(token, dot - 5);
        String foreign = new dev.storefront.security.paging.PageTokens("dev-only-page-token-secret-change-me-0003", "users")
            .encode(new dev.storefront.security.paging.Cursor(java.time.Instant.now(), UUID.randomUUID()));

        for (String bad : List.of(alteredSignature, alteredCursor, foreign, "garbage")) {
            assertThatExceptionOfType(StatusRuntimeException.class)
                .isThrownBy(() -> this.grpc.products().listProducts(ListProductsRequest.newBuilder().setPageToken(bad).build()))
                .satisfies((ex) -> {
                    assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcCalls.reason(ex)).isEqualTo("INVALID_INPUT");
                });
            Answer answer = this.rest.get("/v1/products?pageToken=" + bad);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text("code")).isEqualTo("INVALID_INPUT");
        }
    }

    /** Changes one character in the middle of a base64url run (a full 6-bit group, never padding bits). */
    private static String flip(String token, int index) {
        char replacement = (token.charAt(index) == 'Q') ? 'R' : 'Q';
        return token.substring(0, index) + replacement + token.substring(index + 1);
    }

    @Test
    void pageSizeOrQueryOutOfRangeShouldBeInvalidInput() {
        assertThat(this.rest.get("/v1/products?pageSize=101").status()).isEqualTo(400);
        assertThat(this.rest.get("/v1/products?pageSize=-1").status()).isEqualTo(400);
        assertThat(this.rest.get("/v1/products?pageSize=abc").status()).isEqualTo(400);
        assertThat(this.rest.get("/v1/products?query=" + "q".repeat(201)).status()).isEqualTo(400);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products().listProducts(ListProductsRequest.newBuilder().setPageSize(101).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

}
