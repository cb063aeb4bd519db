"""Runs the Eclipse Paho interoperability suite (github.com/eclipse/paho.mqtt.testing, folder interoperability)
against a broker on 127.0.0.1: python3 run_interop.py SUITE_DIR client_test|client_test5 PORT [TOPIC_PREFIX].

The suite's own command line hands its options on to unittest, which refuses them, so this sets the suite's
globals (host, port, topics, the filter nobody may subscribe to) and runs its test case directly.
"""
import importlib
import sys
import unittest

suite_dir, module_name, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
prefix = sys.argv[4] if len(sys.argv) > 4 else ""
sys.path.insert(0, suite_dir)
suite = importlib.import_module(module_name)
suite.host, suite.port, suite.topic_prefix = "127.0.0.1", port, prefix
suite.topics = [prefix + t for t in ("TopicA", "TopicA/B", "Topic/C", "TopicA/C", "/TopicA")]
suite.wildtopics = [prefix + t for t in ("TopicA/+", "+/C", "#", "/#", "/+", "+/+", "TopicA/#")]
suite.nosubscribe_topics = ("test/nosubscribe",)
result = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.loadTestsFromTestCase(suite.Test))
sys.exit(0 if result.wasSuccessful() else 1)
