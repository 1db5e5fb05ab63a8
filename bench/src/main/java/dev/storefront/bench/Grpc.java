package dev.storefront.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC side of the benchmark: one channel per service shared by every client (one HTTP/2 connection,
 * calls multiplexed on it), asynchronous stubs, the bearer token in the {@code authorization} metadata.
 */
final class Grpc {

    private Grpc() {
    }

    static ManagedChannel channel(String host, int port) {
        return NettyChannelBuilder.forAddress(host, port).usePlaintext().maxInboundMessageSize(4 * 1024 * 1024).build();
    }

    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** An observer for one unary call: completes with {@link LoadRunner#OK}, or the status code's name. */
    static <T> Answer<T> answer() {
        return new Answer<>();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
    }

    static final class Answer<T> extends CompletableFuture<String> implements StreamObserver<T> {

        @Override
        public void onNext(T value) {
        }

        @Override
        public void onError(Throwable error) {
            complete(Status.fromThrowable(error).getCode().name());
        }

        @Override
        public void onCompleted() {
            complete(LoadRunner.OK);
        }

    }

}
