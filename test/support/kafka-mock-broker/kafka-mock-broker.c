/*
 * A Kafka-protocol broker for tests: librdkafka's mock cluster (rdkafka_mock.h, Debian's
 * librdkafka-dev) on 127.0.0.1, so the real kafkajs client is tested over the wire.
 *
 *   kafka-mock-broker [brokers]
 *
 * Prints "bootstrap <host:port,...>" on stdout once listening. Then reads commands on stdin, one a line:
 *   create <topic> <partitions>   creates a topic (the mock has no CreateTopics API) and answers "created <topic>"
 * A topic a client asks for is also created on demand, with the mock's default partition count.
 * Runs until SIGTERM or SIGINT, or until stdin closes (its parent is gone).
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* It connects to nothing itself: its notice about a missing bootstrap.servers is noise. */
  rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof errstr);
  /* The mock cluster needs a client instance to run in; it never sends anything. */
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", errstr); return 1; }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers < 1 ? 1 : brokers);
  if (!cluster) { fprintf(stderr, "cannot create the mock cluster\n"); return 1; }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: a signal interrupts the blocking read below */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[1024], topic[512];
  int partitions;
  while (!stop && fgets(line, sizeof line, stdin)) {
    if (sscanf(line, "create %511s %d", topic, &partitions) == 2 && partitions > 0) {
      rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, topic, partitions, 1);
      if (err) printf("error %s %s\n", topic, rd_kafka_err2str(err));
      else printf("created %s\n", topic);
    } else {
      printf("error unknown command\n");
    }
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
