package dev.storefront.product;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.api.product.v1.BatchGetProductsRequest;
import dev.storefront.api.product.v1.CreateProductRequest;
import dev.storefront.api.product.v1.DeleteProductRequest;
import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.api.product.v1.UpdateProductRequest;
import dev.storefront.product.support.GrpcCalls;
import dev.storefront.product.support.ProductServiceTest;
import dev.storefront.product.support.RunInfrastructure;
import dev.storefront.testing.GrpcErrorDetails;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The catalogue API over real HTTP and a real gRPC channel, against PostgreSQL and RabbitMQ. */
@ProductServiceTest
class ProductApiIntegrationTests {

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    ProductApiIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort).as(RunInfrastructure.adminToken());
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    static String sku() {
        return "SKU-" + UUID.randomUUID();
    }

    private static Map<String, Object> newProduct(String sku) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", sku);
        body.put("name", "Espresso cup");
        body.put("description", "Porcelain, 80 ml");
        body.put("priceCents", 1250);
        body.put("currency", "EUR");
        body.put("stock", 7);
        return body;
    }

    @Test
    void grpcShouldCreateGetUpdateAndDeleteProduct() {
        String sku = sku();
        var created = this.grpc.products()
            .createProduct(CreateProductRequest.newBuilder()
                .setSku(sku)
                .setName("Teapot")
                .setDescription("Cast iron")
                .setPriceCents(4500)
                .setCurrency("eur")
                .setStock(3)
                .build());
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getCurrency()).isEqualTo("EUR");
        assertThat(created.getCreatedAt().getSeconds()).isPositive();

        var fetched = this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(created.getId()).build());
        assertThat(fetched).isEqualTo(created);

        var updated = this.grpc.products()
            .updateProduct(UpdateProductRequest.newBuilder().setProductId(created.getId()).setPriceCents(0).setStock(0).build());
        assertThat(updated.getPriceCents()).as("an optional field set to 0 is a change").isZero();
        assertThat(updated.getStock()).isZero();
        assertThat(updated.getName()).as("fields not set keep their value").isEqualTo("Teapot");
        assertThat(updated.getDescription()).isEqualTo("Cast iron");

        var deleted = this.grpc.products()
            .deleteProduct(DeleteProductRequest.newBuilder().setProductId(created.getId()).build());
        assertThat(deleted.getSuccess()).isTrue();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(created.getId()).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("NOT_FOUND");
            });
    }

    @Test
    void restShouldCreateGetPatchListAndDeleteProduct() {
        String sku = sku();
        Answer created = this.rest.post("/v1/products", RestCalls.json(newProduct(sku)));
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.header("Location")).isEqualTo("/v1/products/" + id);
        assertThat(created.body().get("priceCents").asLong()).isEqualTo(1250);
        assertThat(created.text("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        Answer fetched = this.rest.get("/v1/products/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.text("sku")).isEqualTo(sku);
        assertThat(fetched.body().get("stock").asInt()).isEqualTo(7);

        Answer patched = this.rest.patch("/v1/products/" + id, RestCalls.json(Map.of("name", "Espresso cup, white")));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.text("name")).isEqualTo("Espresso cup, white");
        assertThat(patched.body().get("priceCents").asLong()).as("fields not sent keep their value").isEqualTo(1250);
        assertThat(patched.body().get("updatedAt").asString()).isGreaterThanOrEqualTo(created.text("updatedAt"));

        Answer page = this.rest.get("/v1/products?pageSize=5&query=" + sku);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().get("products").findValuesAsString("id")).containsExactly(id);

        assertThat(this.rest.delete("/v1/products/" + id).status()).isEqualTo(204);
        assertThat(this.rest.get("/v1/products/" + id).status()).isEqualTo(404);
        assertThat(this.rest.delete("/v1/products/" + id).status()).isEqualTo(404);
        assertThat(this.jdbc.sql("SELECT count(*) FROM products WHERE id = :id").param("id", UUID.fromString(id))
            .query(Long.class).single()).isZero();
    }

    @Test
    void duplicateSkuShouldBeAlreadyExistsInBothProtocolsRegardlessOfCase() {
        String sku = sku();
        this.grpc.products()
            .createProduct(CreateProductRequest.newBuilder().setSku(sku).setName("First").setPriceCents(1).setCurrency("EUR").build());

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products()
                .createProduct(CreateProductRequest.newBuilder().setSku(sku.toLowerCase()).setName("Second").setCurrency("EUR").build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("ALREADY_EXISTS");
            });

        Answer answer = this.rest.post("/v1/products", RestCalls.json(newProduct(sku)));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("ALREADY_EXISTS");
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactly("sku");
    }

    @Test
    void unknownIdShouldBeNotFoundInBothProtocols() {
        String unknown = UUID.randomUUID().toString();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(unknown).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("NOT_FOUND");
                assertThat(GrpcCalls.context(ex)).containsEntry("productId", unknown);
            });
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products()
                .updateProduct(UpdateProductRequest.newBuilder().setProductId(unknown).setName("Ghost").build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        Answer answer = this.rest.get("/v1/products/" + unknown);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("code")).isEqualTo("NOT_FOUND");
        assertThat(this.rest.patch("/v1/products/" + unknown, RestCalls.json(Map.of("stock", 1))).status()).isEqualTo(404);
        assertThat(this.rest.delete("/v1/products/" + unknown).status()).isEqualTo(404);
    }

    @Test
    void invalidFieldsShouldBeReportedAsViolationsInBothProtocols() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", "no spaces allowed");
        body.put("name", "");
        body.put("priceCents", -1);
        body.put("currency", "EURO");
        body.put("stock", -5);
        Answer answer = this.rest.post("/v1/products", RestCalls.json(body));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("code")).isEqualTo("INVALID_INPUT");
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactlyInAnyOrder("sku", "name",
                "priceCents", "currency", "stock");

        Answer missingPrice = this.rest.post("/v1/products", RestCalls.json(Map.of("sku", sku(), "name", "Free?", "currency", "EUR")));
        assertThat(missingPrice.status()).isEqualTo(400);
        assertThat(missingPrice.body().get("violations").findValuesAsString("field")).containsExactly("priceCents");

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products()
                .createProduct(CreateProductRequest.newBuilder()
                    .setSku("x".repeat(65))
                    .setName("n".repeat(201))
                    .setCurrency("XYZ")
                    .build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("INVALID_INPUT");
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactlyInAnyOrder("sku", "name", "currency");
            });

        var product = this.grpc.create("Valid", 100, 1);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products()
                .updateProduct(UpdateProductRequest.newBuilder().setProductId(product.getId()).setName(" ").setStock(-1).build()))
            .satisfies((ex) -> assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactlyInAnyOrder("name", "stock"));
        Answer badPatch = this.rest.patch("/v1/products/" + product.getId(), RestCalls.json(Map.of("currency", "ZZZ")));
        assertThat(badPatch.status()).isEqualTo(400);
        assertThat(badPatch.body().get("violations").findValuesAsString("field")).containsExactly("currency");
        assertThat(this.rest.get("/v1/products/not-a-uuid").status()).isEqualTo(400);
        assertThat(this.rest.post("/v1/products", "{\"sku\": ").status()).as("malformed JSON").isEqualTo(400);
    }

    @Test
    void maximalValidProductShouldBeAccepted() {
        var product = this.grpc.products()
            .createProduct(CreateProductRequest.newBuilder()
                .setSku("A.b_c-" + UUID.randomUUID().toString().substring(0, 8) + "x".repeat(50))
                .setName("ü".repeat(200))
                .setPriceCents(0)
                .setCurrency("JPY")
                .setStock(0)
                .build());
        assertThat(product.getName()).hasSize(200);
        assertThat(product.getSku()).hasSize(64);
    }

    @Test
    void batchGetShouldAnswerInTheRequestedOrderInBothProtocols() {
        var a = this.grpc.create("A", 100, 1);
        var b = this.grpc.create("B", 200, 2);
        var c = this.grpc.create("C", 300, 3);
        // b is cached, the others are not: one answer mixes both
        this.grpc.products().getProduct(GetProductRequest.newBuilder().setProductId(b.getId()).build());

        var answer = this.grpc.products()
            .batchGetProducts(BatchGetProductsRequest.newBuilder().addProductIds(c.getId()).addProductIds(a.getId())
                .addProductIds(b.getId()).build());
        assertThat(answer.getProductsList()).containsExactly(c, a, b);

        Answer rest = this.rest.post("/v1/products:batchGet", RestCalls.json(Map.of("productIds", List.of(b.getId(), c.getId()))));
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.body().get("products").findValuesAsString("id")).containsExactly(b.getId(), c.getId());
        assertThat(rest.body().get("products").get(0).get("priceCents").asLong()).isEqualTo(200);
    }

    @Test
    void batchGetWithUnknownIdsShouldNameThemAllAsNotFoundInBothProtocols() {
        var known = this.grpc.create("Known", 100, 1);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products()
                .batchGetProducts(BatchGetProductsRequest.newBuilder().addProductIds(first).addProductIds(known.getId())
                    .addProductIds(second).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(GrpcCalls.reason(ex)).isEqualTo("NOT_FOUND");
                assertThat(GrpcCalls.context(ex)).containsEntry("missingProductIds", first + "," + second);
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("productIds[0]", "productIds[2]");
            });

        Answer answer = this.rest.post("/v1/products:batchGet",
                RestCalls.json(Map.of("productIds", List.of(known.getId(), second))));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.text("code")).isEqualTo("NOT_FOUND");
        assertThat(answer.body().get("context").get("missingProductIds").asString()).isEqualTo(second);
    }

    @Test
    void batchGetsReadFromTheDatabaseMoreOftenThanThePoolHasConnectionsShouldAllBeAnswered() {
        // Unknown ids are never cached: every call reads the database, outside a transaction.
        for (int call = 0; call < 25; call++) {
            String unknown = UUID.randomUUID().toString();
            assertThatExceptionOfType(StatusRuntimeException.class)
                .as("call %d", call)
                .isThrownBy(() -> this.grpc.products().batchGetProducts(BatchGetProductsRequest.newBuilder().addProductIds(unknown).build()))
                .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
        var product = this.grpc.create("After many reads", 100, 1);
        assertThat(this.grpc.products()
            .batchGetProducts(BatchGetProductsRequest.newBuilder().addProductIds(product.getId()).build())
            .getProductsList()).containsExactly(product);
    }

    @Test
    void batchGetOfMoreThanOneHundredIdsShouldBeInvalidInput() {
        List<String> ids = new ArrayList<>(Collections.nCopies(101, UUID.randomUUID().toString()));
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.products().batchGetProducts(BatchGetProductsRequest.newBuilder().addAllProductIds(ids).build()))
            .satisfies((ex) -> {
                assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(GrpcErrorDetails.violatedFields(ex)).containsExactly("productIds");
            });
        Answer answer = this.rest.post("/v1/products:batchGet", RestCalls.json(Map.of("productIds", List.of("nope"))));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("violations").findValuesAsString("field")).containsExactly("productIds[0]");

        var product = this.grpc.create("Hundred", 1, 1);
        var hundred = this.grpc.products()
            .batchGetProducts(BatchGetProductsRequest.newBuilder().addAllProductIds(Collections.nCopies(100, product.getId())).build());
        assertThat(hundred.getProductsCount()).isEqualTo(100);
    }

    @Test
    void getProductShouldServeTheNewPriceRightAfterAnUpdate() {
        var created = this.grpc.create("Cached", 1000, 5);
        var request = GetProductRequest.newBuilder().setProductId(created.getId()).build();
        assertThat(this.grpc.products().getProduct(request).getPriceCents()).isEqualTo(1000);
        assertThat(this.grpc.products().getProduct(request).getPriceCents()).isEqualTo(1000);
        var batch = BatchGetProductsRequest.newBuilder().addProductIds(created.getId()).build();
        assertThat(this.grpc.products().batchGetProducts(batch).getProducts(0).getPriceCents()).isEqualTo(1000);

        assertThat(this.rest.patch("/v1/products/" + created.getId(), RestCalls.json(Map.of("priceCents", 1500))).status())
            .isEqualTo(200);

        assertThat(this.grpc.products().getProduct(request).getPriceCents()).isEqualTo(1500);
        assertThat(this.grpc.products().batchGetProducts(batch).getProducts(0).getPriceCents()).isEqualTo(1500);
        assertThat(this.rest.get("/v1/products/" + created.getId()).body().get("priceCents").asLong()).isEqualTo(1500);

        this.rest.delete("/v1/products/" + created.getId());
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.grpc.products().getProduct(request));
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.grpc.products().batchGetProducts(batch));
    }

    @Test
    void probesShouldAnswerOnTheRestPort() {
        assertThat(this.rest.as(null).get("/livez").status()).isEqualTo(200);
        Answer ready = this.rest.as(null).get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.text("status")).isEqualTo("UP");
    }

}
