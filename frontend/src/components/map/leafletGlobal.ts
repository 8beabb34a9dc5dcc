// Leaflet plugins written for a global L (leaflet.markercluster, and
// protomaps-leaflet's layer class) find it here: import this module before
// them.
import L from 'leaflet';

(globalThis as unknown as { L: typeof L }).L = L;

export default L;
