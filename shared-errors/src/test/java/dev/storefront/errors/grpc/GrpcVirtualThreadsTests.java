package dev.storefront.errors.grpc;

import java.io.IOException;
import java.net.ServerSocket;

import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/** With virtual threads on (JDK 21+), gRPC handlers of the real (Netty) server run on them as Tomcat's do. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.application.name=user-service", "spring.threads.virtual.enabled=true" })
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
@EnabledForJreRange(min = JRE.JAVA_21)
class GrpcVirtualThreadsTests {

    private final GrpcChannelFactory channels;

    @DynamicPropertySource
    static void serverPort(DynamicPropertyRegistry registry) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry.add("spring.grpc.server.port", () -> port);
        registry.add("spring.grpc.client.channel.user-service.target", () -> "static://127.0.0.1:" + port);
    }

    GrpcVirtualThreadsTests(GrpcChannelFactory channels) {
        this.channels = channels;
    }

    @Test
    void handlerShouldRunOnAVirtualThread() {
        User answer = UserServiceGrpc.newBlockingStub(this.channels.createChannel("user-service"))
            .getUser(GetUserRequest.newBuilder().setUserId("any").build());

        assertThat(answer.getName()).isEqualTo("virtual");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ThreadReportingUserService threadReportingUserService() {
            return new ThreadReportingUserService();
        }

    }

    /** Answers whether it ran on a virtual thread ({@code Thread.isVirtual()} is JDK 21 API, called reflectively). */
    static class ThreadReportingUserService extends UserServiceGrpc.UserServiceImplBase {

        @Override
        public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
            boolean virtual;
            try {
                virtual = (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
            responseObserver.onNext(User.newBuilder().setId(request.getUserId()).setName(virtual ? "virtual" : "platform").build());
            responseObserver.onCompleted();
        }

    }

}
