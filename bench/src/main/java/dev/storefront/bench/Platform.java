package dev.storefront.bench;

import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The running platform as the benchmark sees it: where each service listens (ARCHITECTURE §3, on one host),
 * and what the set-up made there: an administrator's and a customer's access token, the customer's id,
 * {@value #PRODUCTS} products stocked for every order the run places, and at least one page of users to list.
 */
final class Platform {

    static final String PASSWORD = "bench password 0123";

    final String host;

    final String adminEmail;

    final String adminPassword;

    final String customerEmail = "bench-" + UUID.randomUUID() + "@example.com";

    String adminToken;

    String customerToken;

    String customerId;

    /** Products the orders spread over: every order of one product would wait on that product's stock row. */
    final java.util.List<String> productIds = new java.util.ArrayList<>();

    static final int PRODUCTS = 100;

    Platform(String host, String adminEmail, String adminPassword) {
        this.host = host;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
    }

    /** The product of a request: clients spread over the products. */
    String product(int client, int index) {
        return this.productIds.get((client + index) % this.productIds.size());
    }

    String rest(int port) {
        return "http://" + this.host + ":" + port;
    }

    /** Creates the customer, the products and enough users for a page of 50; logs both in. */
    void setUp(Rest rest, int stock) throws Exception {
        JsonNode customer = rest.call(Rest.post(rest(Ports.AUTH_REST) + "/v1/auth/register", null,
                Rest.map("name", "Bench Customer", "email", this.customerEmail, "password", PASSWORD)), 201);
        this.customerId = customer.get("userId").asString();
        logIn(rest);
        for (int i = 0; i < PRODUCTS; i++) {
            JsonNode product = rest.call(Rest.post(rest(Ports.PRODUCT_REST) + "/v1/products", this.adminToken,
                    Rest.map("sku", "BENCH-" + UUID.randomUUID().toString().substring(0, 8), "name", "Bench teapot " + i, "description",
                            "Ordered by the benchmark", "priceCents", 1999, "currency", "EUR", "stock", stock / PRODUCTS + 100)),
                    201);
            this.productIds.add(product.get("id").asString());
        }
        int listed = rest.call(Rest.get(rest(Ports.USER_REST) + "/v1/users?pageSize=50", this.adminToken), 200).get("users").size();
        for (int i = listed; i < 50; i++) {
            rest.call(Rest.post(rest(Ports.USER_REST) + "/v1/users", this.adminToken, newUser()), 201);
        }
    }

    /** Fresh access tokens (they last 15 minutes; a full run lasts longer). */
    void logIn(Rest rest) throws Exception {
        this.adminToken = login(rest, this.adminEmail, this.adminPassword);
        this.customerToken = login(rest, this.customerEmail, PASSWORD);
    }

    private String login(Rest rest, String email, String password) throws Exception {
        return rest.call(Rest.post(rest(Ports.AUTH_REST) + "/v1/auth/login", null, Rest.map("email", email, "password", password)), 200)
            .get("accessToken")
            .asString();
    }

    static java.util.Map<String, Object> newUser() {
        return Rest.map("name", "Bench User", "email", "bench-user-" + UUID.randomUUID() + "@example.com", "roles", List.of("customer"));
    }

    /** The ports of ARCHITECTURE §3. */
    static final class Ports {

        static final int AUTH_REST = 8081;

        static final int USER_REST = 8082;

        static final int USER_GRPC = 9082;

        static final int PRODUCT_REST = 8083;

        static final int PRODUCT_GRPC = 9083;

        static final int ORDER_REST = 8084;

        static final int ORDER_GRPC = 9084;

        private Ports() {
        }

    }

}
