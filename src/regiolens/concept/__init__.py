"""The concept builder: a region's own development concept, from the evidence to a paper the councils can adopt.

Modules, one purpose each:

``scorecard``  the focus-cluster scorecard of a target region or group: every candidate cluster's strength,
               dynamics, potential and context, weighted, ranked and explained, with the data vintage and a
               fingerprint of the evidence (so that newer data show as "evidence outdated")
``content``    what a concept says (focus clusters with justification, instruments, fund plan, organisation),
               the diff between two versions and which focus clusters rest on outdated evidence
``models``     the concept workspace's tables: concepts, versions, comments, sign-offs
``records``    the concept workspace, the only way web and CLI touch it: concepts with title, target region,
               authors and status (draft → in consultation → adopted), versions, comments, sign-off per member
               organisation, outdated evidence
"""
