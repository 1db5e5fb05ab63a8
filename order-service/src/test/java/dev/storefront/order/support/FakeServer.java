package dev.storefront.order.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.Message;
import dev.storefront.errors.StorefrontException;
import dev.storefront.errors.grpc.GrpcErrors;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A fake of another Storefront service on a local port, for order-service's tests: it records every call
 * with the {@code authorization} metadata it carried, and answers errors the way a Storefront service
 * does ({@code google.rpc.Status} with {@code ErrorInfo}, {@code BadRequest}, {@code RetryInfo}).
 */
public abstract class FakeServer {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<String> CALLER = Context.key("authorization");

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private final String serviceName;

    private Server server;

    FakeServer(String serviceName) {
        this.serviceName = serviceName;
    }

    /** Starts serving {@code service} on a free port of 127.0.0.1 until the JVM exits. */
    final void start(BindableService service) {
        ServerInterceptor recordAuthorization = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                String authorization = headers.get(AUTHORIZATION);
                Context context = Context.current().withValue(CALLER, (authorization != null) ? authorization : "");
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(service, recordAuthorization))
                .build()
                .start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start the fake " + this.serviceName, ex);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> this.server.shutdownNow()));
    }

    /** The port it listens on. */
    public final int port() {
        return this.server.getPort();
    }

    /** Every call so far, oldest first. */
    public final List<Call> calls() {
        return List.copyOf(this.calls);
    }

    /** The calls of {@code method} so far, oldest first. */
    public final List<Call> calls(String method) {
        return this.calls.stream().filter((call) -> call.method().equals(method)).toList();
    }

    /** Forgets the calls so far. */
    public void reset() {
        this.calls.clear();
    }

    final void record(String method, Message request) {
        this.calls.add(new Call(method, CALLER.get(), request));
    }

    /** Answers {@code error} as the real service would. */
    final void fail(StreamObserver<?> responses, StorefrontException error) {
        responses.onError(GrpcErrors.toStatusException(error, this.serviceName, false));
    }

    /** One call: method, the {@code authorization} metadata it carried ({@code ""} without), the request. */
    public record Call(String method, String authorization, Message request) {
    }

}
