package dev.storefront.order;

import dev.storefront.api.order.v1.CancelOrderRequest;
import dev.storefront.api.order.v1.CreateOrderRequest;
import dev.storefront.api.order.v1.GetOrderRequest;
import dev.storefront.api.order.v1.ListOrdersRequest;
import dev.storefront.api.order.v1.ListOrdersResponse;
import dev.storefront.api.order.v1.OrderServiceGrpc;
import dev.storefront.order.NewOrder.RequestedItem;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/** The gRPC adapter of {@code storefront.order.v1.OrderService}; every rule lives in {@link OrderService}. */
@GrpcService
class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {

    private final OrderService orders;

    OrderGrpcService(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public void createOrder(CreateOrderRequest request, StreamObserver<dev.storefront.api.order.v1.Order> responses) {
        NewOrder order = new NewOrder(request.getItemsList()
            .stream()
            .map((item) -> new RequestedItem(item.getProductId(), item.getQuantity()))
            .toList(), request.getPaymentMethod(), request.getIdempotencyKey());
        responses.onNext(OrderMapper.toProto(this.orders.create(order).order()));
        responses.onCompleted();
    }

    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<dev.storefront.api.order.v1.Order> responses) {
        responses.onNext(OrderMapper.toProto(this.orders.get(request.getOrderId())));
        responses.onCompleted();
    }

    @Override
    public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> responses) {
        OrderPage page = this.orders.list(request.getPageSize(), request.getPageToken(), request.getUserId());
        responses.onNext(ListOrdersResponse.newBuilder()
            .addAllOrders(page.orders().stream().map(OrderMapper::toProto).toList())
            .setNextPageToken(page.nextPageToken())
            .build());
        responses.onCompleted();
    }

    @Override
    public void cancelOrder(CancelOrderRequest request, StreamObserver<dev.storefront.api.order.v1.Order> responses) {
        responses.onNext(OrderMapper.toProto(this.orders.cancel(request.getOrderId())));
        responses.onCompleted();
    }

}
