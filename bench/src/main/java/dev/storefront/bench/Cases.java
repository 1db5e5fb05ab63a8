package dev.storefront.bench;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.storefront.api.order.v1.CreateOrderRequest;
import dev.storefront.api.order.v1.Order;
import dev.storefront.api.order.v1.OrderItemRequest;
import dev.storefront.api.order.v1.OrderServiceGrpc;
import dev.storefront.api.product.v1.GetProductRequest;
import dev.storefront.api.product.v1.Product;
import dev.storefront.api.product.v1.ProductServiceGrpc;
import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.ListUsersRequest;
import dev.storefront.api.user.v1.ListUsersResponse;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.bench.Platform.Ports;
import io.grpc.ManagedChannel;

/**
 * What the benchmark measures, each over REST and over gRPC against the same service method: get-user, list-users
 * (a page of 50), create-user, get-product, create-order (a paid-by-card order of one item, one of the set-up's
 * products in turn, which also calls user-service and product-service and queues its payment). A case knows the port of the service it loads, so
 * that service's CPU time and the bytes on its connections can be read.
 */
final class Cases {

    static final List<String> NAMES = List.of("get-user", "list-users", "create-user", "get-product", "create-order");

    private Cases() {
    }

    record Case(String name, String protocol, int port, LoadRunner.Call call) {

        String label() {
            return this.name + " " + this.protocol;
        }

    }

    static final class Channels implements AutoCloseable {

        final ManagedChannel users;

        final ManagedChannel products;

        final ManagedChannel orders;

        Channels(String host) {
            this.users = Grpc.channel(host, Ports.USER_GRPC);
            this.products = Grpc.channel(host, Ports.PRODUCT_GRPC);
            this.orders = Grpc.channel(host, Ports.ORDER_GRPC);
        }

        @Override
        public void close() throws InterruptedException {
            Grpc.close(this.users);
            Grpc.close(this.products);
            Grpc.close(this.orders);
        }

    }

    /** The case of this name and protocol, with the platform's current tokens. */
    static Case of(String name, String protocol, Platform platform, Rest rest, Channels channels) {
        boolean grpc = protocol.equals("grpc");
        return switch (name) {
            case "get-user" -> grpc ? getUserGrpc(channels.users, Ports.USER_GRPC, platform.customerToken, platform.customerId)
                    : getUserRest(rest, platform.rest(Ports.USER_REST), Ports.USER_REST, platform.customerToken, platform.customerId);
            case "list-users" -> grpc ? listUsersGrpc(channels.users, platform.adminToken) : listUsersRest(rest, platform);
            case "create-user" -> grpc ? createUserGrpc(channels.users, platform.adminToken) : createUserRest(rest, platform);
            case "get-product" -> grpc ? getProductGrpc(channels.products, platform) : getProductRest(rest, platform);
            case "create-order" -> grpc ? createOrderGrpc(channels.orders, platform) : createOrderRest(rest, platform);
            default -> throw new IllegalArgumentException("Unknown case " + name + "; known: " + NAMES);
        };
    }

    static Case getUserRest(Rest rest, String base, int port, String token, String userId) {
        HttpRequest request = Rest.get(base + "/v1/users/" + userId, token);
        return new Case("get-user", "rest", port, (client, index) -> rest.send(request));
    }

    static Case getUserGrpc(ManagedChannel channel, int port, String token, String userId) {
        UserServiceGrpc.UserServiceStub stub = Grpc.withToken(UserServiceGrpc.newStub(channel), token);
        GetUserRequest request = GetUserRequest.newBuilder().setUserId(userId).build();
        return new Case("get-user", "grpc", port, (client, index) -> {
            Grpc.Answer<User> answer = Grpc.answer();
            stub.getUser(request, answer);
            return answer;
        });
    }

    private static Case listUsersRest(Rest rest, Platform platform) {
        HttpRequest request = Rest.get(platform.rest(Ports.USER_REST) + "/v1/users?pageSize=50", platform.adminToken);
        return new Case("list-users", "rest", Ports.USER_REST, (client, index) -> rest.send(request));
    }

    private static Case listUsersGrpc(ManagedChannel channel, String token) {
        UserServiceGrpc.UserServiceStub stub = Grpc.withToken(UserServiceGrpc.newStub(channel), token);
        ListUsersRequest request = ListUsersRequest.newBuilder().setPageSize(50).build();
        return new Case("list-users", "grpc", Ports.USER_GRPC, (client, index) -> {
            Grpc.Answer<ListUsersResponse> answer = Grpc.answer();
            stub.listUsers(request, answer);
            return answer;
        });
    }

    private static Case createUserRest(Rest rest, Platform platform) {
        String url = platform.rest(Ports.USER_REST) + "/v1/users";
        return new Case("create-user", "rest", Ports.USER_REST,
                (client, index) -> rest.send(Rest.post(url, platform.adminToken, Platform.newUser())));
    }

    private static Case createUserGrpc(ManagedChannel channel, String token) {
        UserServiceGrpc.UserServiceStub stub = Grpc.withToken(UserServiceGrpc.newStub(channel), token);
        return new Case("create-user", "grpc", Ports.USER_GRPC, (client, index) -> {
            Grpc.Answer<User> answer = Grpc.answer();
            stub.createUser(CreateUserRequest.newBuilder()
                .setName("Bench User")
                .setEmail("bench-user-" + UUID.randomUUID() + "@example.com")
                .addRoles("customer")
                .build(), answer);
            return answer;
        });
    }

    private static Case getProductRest(Rest rest, Platform platform) {
        HttpRequest request = Rest.get(platform.rest(Ports.PRODUCT_REST) + "/v1/products/" + platform.productIds.get(0), platform.customerToken);
        return new Case("get-product", "rest", Ports.PRODUCT_REST, (client, index) -> rest.send(request));
    }

    private static Case getProductGrpc(ManagedChannel channel, Platform platform) {
        ProductServiceGrpc.ProductServiceStub stub = Grpc.withToken(ProductServiceGrpc.newStub(channel), platform.customerToken);
        GetProductRequest request = GetProductRequest.newBuilder().setProductId(platform.productIds.get(0)).build();
        return new Case("get-product", "grpc", Ports.PRODUCT_GRPC, (client, index) -> {
            Grpc.Answer<Product> answer = Grpc.answer();
            stub.getProduct(request, answer);
            return answer;
        });
    }

    private static Case createOrderRest(Rest rest, Platform platform) {
        String url = platform.rest(Ports.ORDER_REST) + "/v1/orders";
        return new Case("create-order", "rest", Ports.ORDER_REST,
                (client, index) -> rest.send(Rest.post(url, platform.customerToken,
                        Rest.map("items", List.of(Rest.map("productId", platform.product(client, index), "quantity", 1)), "paymentMethod", "card",
                                "idempotencyKey", UUID.randomUUID().toString()))));
    }

    private static Case createOrderGrpc(ManagedChannel channel, Platform platform) {
        OrderServiceGrpc.OrderServiceStub stub = Grpc.withToken(OrderServiceGrpc.newStub(channel), platform.customerToken);
        return new Case("create-order", "grpc", Ports.ORDER_GRPC, (client, index) -> {
            Grpc.Answer<Order> answer = Grpc.answer();
            stub.createOrder(CreateOrderRequest.newBuilder()
                .addItems(OrderItemRequest.newBuilder().setProductId(platform.product(client, index)).setQuantity(1))
                .setPaymentMethod("card")
                .setIdempotencyKey(UUID.randomUUID().toString())
                .build(), answer);
            return answer;
        });
    }

    static List<String> parse(String names) {
        List<String> cases = new ArrayList<>();
        for (String name : names.split(",")) {
            if (!NAMES.contains(name.strip())) {
                throw new IllegalArgumentException("Unknown case " + name + "; known: " + NAMES);
            }
            cases.add(name.strip());
        }
        return cases;
    }

}
