/**
 * The WrenMQ API: what user code compiles against in every home (standalone, OSGi, Jakarta EE).
 * No broker classes, no Netty.
 */
@Export
@Version("1.2.0")
package org.wrenmq.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
