/* A client written against rabbitmq-c (Debian's librabbitmq), as C applications use it:
 * log in, declare a queue, publish N persistent messages with publisher confirms
 * (waiting for each ack), consume them back with basic.consume and ack them, then
 * check a basic.get finds the queue empty. Prints "ok <n>" and exits 0, or prints what
 * went wrong and exits 1.
 *
 *   librabbitmq_client <host> <port> <queue> <count>
 */
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_reply(amqp_rpc_reply_t r, const char *what) {
  if (r.reply_type == AMQP_RESPONSE_NORMAL) return 0;
  fprintf(stderr, "%s failed (reply type %d)\n", what, (int)r.reply_type);
  if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
      r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    amqp_channel_close_t *c = (amqp_channel_close_t *)r.reply.decoded;
    fprintf(stderr, "  channel closed: %d %.*s\n", c->reply_code, (int)c->reply_text.len,
            (char *)c->reply_text.bytes);
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s host port queue count\n", argv[0]);
    return 2;
  }
  const char *host = argv[1], *queue = argv[3];
  const int port = atoi(argv[2]), count = atoi(argv[4]);

  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t *socket = amqp_tcp_socket_new(conn);
  if (!socket || amqp_socket_open(socket, host, port) != AMQP_STATUS_OK) {
    fprintf(stderr, "cannot connect to %s:%d\n", host, port);
    return 1;
  }
  if (check_reply(amqp_login(conn, "/", 0, 131072, 30, AMQP_SASL_METHOD_PLAIN, "guest", "guest"),
                  "login"))
    return 1;
  amqp_channel_open(conn, 1);
  if (check_reply(amqp_get_rpc_reply(conn), "channel.open")) return 1;
  amqp_queue_declare(conn, 1, amqp_cstring_bytes(queue), 0, 1, 0, 0, amqp_empty_table);
  if (check_reply(amqp_get_rpc_reply(conn), "queue.declare")) return 1;
  amqp_confirm_select(conn, 1);
  if (check_reply(amqp_get_rpc_reply(conn), "confirm.select")) return 1;

  for (int i = 0; i < count; i++) {
    char body[64];
    snprintf(body, sizeof body, "message %d", i);
    amqp_basic_properties_t props;
    memset(&props, 0, sizeof props);
    props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    props.delivery_mode = 2;
    props.content_type = amqp_cstring_bytes("text/plain");
    if (amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes(queue), 1, 0, &props,
                           amqp_cstring_bytes(body)) != AMQP_STATUS_OK) {
      fprintf(stderr, "publish %d failed\n", i);
      return 1;
    }
    amqp_frame_t frame;
    if (amqp_simple_wait_frame(conn, &frame) != AMQP_STATUS_OK ||
        frame.frame_type != AMQP_FRAME_METHOD || frame.payload.method.id != AMQP_BASIC_ACK_METHOD) {
      fprintf(stderr, "no basic.ack for message %d\n", i);
      return 1;
    }
    amqp_basic_ack_t *ack = (amqp_basic_ack_t *)frame.payload.method.decoded;
    if (ack->delivery_tag != (uint64_t)(i + 1)) {
      fprintf(stderr, "confirm for tag %llu, expected %d\n", (unsigned long long)ack->delivery_tag,
              i + 1);
      return 1;
    }
  }

  amqp_basic_qos(conn, 1, 0, 10, 0);
  if (check_reply(amqp_get_rpc_reply(conn), "basic.qos")) return 1;
  amqp_basic_consume(conn, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0,
                     amqp_empty_table);
  if (check_reply(amqp_get_rpc_reply(conn), "basic.consume")) return 1;
  for (int i = 0; i < count; i++) {
    amqp_envelope_t env;
    amqp_maybe_release_buffers(conn);
    if (check_reply(amqp_consume_message(conn, &env, NULL, 0), "consume")) return 1;
    char expected[64];
    snprintf(expected, sizeof expected, "message %d", i);
    if (env.message.body.len != strlen(expected) ||
        memcmp(env.message.body.bytes, expected, env.message.body.len) != 0 ||
        env.message.properties.delivery_mode != 2 ||
        env.message.properties.content_type.len != 10) {
      fprintf(stderr, "message %d came back different: %.*s\n", i, (int)env.message.body.len,
              (char *)env.message.body.bytes);
      return 1;
    }
    if (amqp_basic_ack(conn, 1, env.delivery_tag, 0) != AMQP_STATUS_OK) {
      fprintf(stderr, "ack %d failed\n", i);
      return 1;
    }
    amqp_destroy_envelope(&env);
  }
  amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
  amqp_channel_open(conn, 2);
  if (check_reply(amqp_get_rpc_reply(conn), "channel.open 2")) return 1;
  amqp_rpc_reply_t get = amqp_basic_get(conn, 2, amqp_cstring_bytes(queue), 1);
  if (check_reply(get, "basic.get")) return 1;
  if (get.reply.id != AMQP_BASIC_GET_EMPTY_METHOD) {
    fprintf(stderr, "the queue is not empty after every message was acked\n");
    return 1;
  }
  if (check_reply(amqp_connection_close(conn, AMQP_REPLY_SUCCESS), "connection.close")) return 1;
  amqp_destroy_connection(conn);
  printf("ok %d\n", count);
  return 0;
}
