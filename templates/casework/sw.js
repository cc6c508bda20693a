// Casework service worker: the lists come from the server, the logic from static/js/sw.js.
self.CASEWORK_CACHE = "{{ cache_name|escapejs }}";
self.CASEWORK_OFFLINE_URL = "{{ offline_url|escapejs }}";
self.CASEWORK_PRECACHE = [{% for asset in precache %}"{{ asset|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
importScripts("{{ script_url|escapejs }}");
