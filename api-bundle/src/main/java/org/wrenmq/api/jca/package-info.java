/**
 * Jakarta Connectors (JCA) view of WrenMQ: the connection factory that EJBs and CDI beans inject.
 * Needs {@code jakarta.resource} only where these types are used.
 */
@Export
@Version("1.0.0")
package org.wrenmq.api.jca;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
