package dev.storefront.product;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import dev.storefront.api.product.v1.BatchGetProductsRequest;
import dev.storefront.api.product.v1.CreateProductRequest;
import dev.storefront.api.product.v1.DeleteProductRequest;
import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.api.product.v1.ListProductsRequest;
import dev.storefront.api.product.v1.ProductServiceGrpc;
import dev.storefront.api.product.v1.ReleaseStockRequest;
import dev.storefront.api.product.v1.ReserveStockRequest;
import dev.storefront.api.product.v1.StockItem;
import dev.storefront.api.product.v1.UpdateProductRequest;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.ProductServiceTest;
import dev.storefront.product.support.RunInfrastructure;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import dev.storefront.testing.TestTokens;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Who may do what, over both protocols: anyone signed in reads, admins change, services reserve. */
@ProductServiceTest
class ProductAuthorizationIntegrationTests {

    private static final TestTokens TOKENS = RunInfrastructure.tokens();

    private final RestCalls rest;

    private final GrpcCalls grpc;

    ProductAuthorizationIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort) {
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    private static void assertDenied(Runnable call, Status.Code code, String reason) {
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run).satisfies((ex) -> {
            assertThat(ex.getStatus().getCode()).isEqualTo(code);
            assertThat(GrpcCalls.reason(ex)).isEqualTo(reason);
        });
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.raw().uri().toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo(code);
    }

    private static ReserveStockRequest reserve(String productId) {
        return ReserveStockRequest.newBuilder()
            .setOrderId(UUID.randomUUID().toString())
            .addItems(StockItem.newBuilder().setProductId(productId).setQuantity(1))
            .build();
    }

    @Test
    void customersShouldReadTheCatalogueInBothProtocols() {
        var product = this.grpc.create("Readable", 100, 5);
        String customer = RunInfrastructure.customerToken();

        assertThat(this.grpc.products(customer).getProduct(GetProductRequest.newBuilder().setProductId(product.getId()).build()))
            .isEqualTo(product);
        assertThat(this.grpc.products(customer)
            .batchGetProducts(BatchGetProductsRequest.newBuilder().addProductIds(product.getId()).build())
            .getProductsList()).containsExactly(product);
        assertThat(this.grpc.products(customer).listProducts(ListProductsRequest.newBuilder().setQuery(product.getSku()).build())
            .getProductsList()).containsExactly(product);
        assertThat(this.rest.as(customer).get("/v1/products/" + product.getId()).status()).isEqualTo(200);
        assertThat(this.rest.as(customer).get("/v1/products").status()).isEqualTo(200);
        assertThat(this.rest.as(customer)
            .post("/v1/products:batchGet", RestCalls.json(Map.of("productIds", List.of(product.getId()))))
            .status()).isEqualTo(200);
    }

    @Test
    void customersShouldBePermissionDeniedOnAdminMethodsAndStockInBothProtocols() {
        var product = this.grpc.create("Guarded", 100, 5);
        String customer = RunInfrastructure.customerToken();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", "SKU-" + UUID.randomUUID());
        body.put("name", "Sneaky");
        body.put("priceCents", 1);
        body.put("currency", "EUR");

        assertProblem(this.rest.as(customer).post("/v1/products", RestCalls.json(body)), 403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(customer).patch("/v1/products/" + product.getId(), RestCalls.json(Map.of("priceCents", 1))),
                403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(customer).patch("/v1/products/" + UUID.randomUUID(), RestCalls.json(Map.of("priceCents", 1))),
                403, "PERMISSION_DENIED");
        assertProblem(this.rest.as(customer).delete("/v1/products/" + product.getId()), 403, "PERMISSION_DENIED");

        var stub = this.grpc.products(customer);
        assertDenied(() -> stub.createProduct(CreateProductRequest.newBuilder().setSku("SKU-" + UUID.randomUUID()).setName("x")
            .setCurrency("EUR").build()), Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertDenied(() -> stub.updateProduct(UpdateProductRequest.newBuilder().setProductId(product.getId()).setPriceCents(1).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertDenied(() -> stub.deleteProduct(DeleteProductRequest.newBuilder().setProductId(product.getId()).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertDenied(() -> stub.reserveStock(reserve(product.getId())), Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertDenied(() -> stub.releaseStock(ReleaseStockRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");

        var unchanged = this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(product.getId()).build());
        assertThat(unchanged).as("nothing was changed by a denied call").isEqualTo(product);
    }

    @Test
    void onlyServicesShouldReserveAndReleaseStock() {
        var product = this.grpc.create("Service only", 100, 5);
        assertDenied(() -> this.grpc.products().reserveStock(reserve(product.getId())), Status.Code.PERMISSION_DENIED,
                "PERMISSION_DENIED");
        assertDenied(() -> this.grpc.products()
            .releaseStock(ReleaseStockRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertThat(this.grpc.asService().reserveStock(reserve(product.getId())).getItemsCount()).isEqualTo(1);
        assertDenied(() -> this.grpc.asService().createProduct(CreateProductRequest.newBuilder()
            .setSku("SKU-" + UUID.randomUUID()).setName("x").setCurrency("EUR").build()), Status.Code.PERMISSION_DENIED,
                "PERMISSION_DENIED");
    }

    @Test
    void refusedTokensShouldBeUnauthenticatedAtEveryNonPublicEndpointInBothProtocols() {
        var product = this.grpc.create("Protected", 100, 5);
        String id = product.getId();
        String subject = UUID.randomUUID().toString();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("expired", TOKENS.expired(subject, "admin", "service"));
        refused.put("signed by another key", TOKENS.signedByForeignKey(subject, "admin", "service"));
        refused.put("alg none", TOKENS.algNone(subject, "admin", "service"));
        refused.put("HS256 with the public key", TOKENS.hmacSigned(subject, "admin", "service"));
        refused.put("wrong issuer", TOKENS.wrongIssuer(subject, "admin", "service"));
        refused.put("wrong audience", TOKENS.wrongAudience(subject, "admin", "service"));
        refused.put("malformed", TOKENS.malformed());

        String body = RestCalls.json(Map.of("name", "Refused"));
        refused.forEach((why, token) -> {
            RestCalls caller = this.rest.as(token);
            List<Answer> answers = List.of(caller.get("/v1/products"), caller.get("/v1/products/" + id),
                    caller.post("/v1/products:batchGet", RestCalls.json(Map.of("productIds", List.of(id)))),
                    caller.post("/v1/products", body), caller.patch("/v1/products/" + id, body),
                    caller.delete("/v1/products/" + id));
            answers.forEach((answer) -> {
                assertThat(answer.status()).as("%s: %s", why, answer.raw().uri()).isEqualTo(401);
                assertThat(answer.text("code")).isEqualTo("UNAUTHENTICATED");
                if (token != null) {
                    assertThat(answer.raw().body()).as("the token is never echoed").doesNotContain(token);
                }
            });

            ProductServiceGrpc.ProductServiceBlockingStub stub = this.grpc.products(token);
            List<Consumer<ProductServiceGrpc.ProductServiceBlockingStub>> calls = List.of(
                    (s) -> s.getProduct(GetProductRequest.newBuilder().setProductId(id).build()),
                    (s) -> s.batchGetProducts(BatchGetProductsRequest.newBuilder().addProductIds(id).build()),
                    (s) -> s.listProducts(ListProductsRequest.getDefaultInstance()),
                    (s) -> s.createProduct(CreateProductRequest.newBuilder().setSku("SKU-" + UUID.randomUUID()).setName("x")
                        .setCurrency("EUR").build()),
                    (s) -> s.updateProduct(UpdateProductRequest.newBuilder().setProductId(id).setName("x").build()),
                    (s) -> s.deleteProduct(DeleteProductRequest.newBuilder().setProductId(id).build()),
                    (s) -> s.reserveStock(reserve(id)),
                    (s) -> s.releaseStock(ReleaseStockRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build()));
            calls.forEach((call) -> assertDenied(() -> call.accept(stub), Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"));
        });
        assertThat(this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(id).build()))
            .as("nothing was changed by a refused call")
            .isEqualTo(product);
    }

}
