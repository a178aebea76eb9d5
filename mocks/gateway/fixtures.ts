/**
 * The world the mock gateway answers about: two users, one group with three projects that
 * exercise the permission paths (readable with AI on, AI turned off, private to bob), the issues,
 * epic and merge request that questions refer to, and a handful of documentation pages.
 *
 * Plain data only; {@link createFixtures} hands out a deep copy so that a test may change it and
 * `reset()` restores it.
 */

/** A signed-in user; `token` is what clients send in `Authorization`. */
export interface UserFixture {
  id: string
  username: string
  name: string
  token: string
}

/** Who may read a project: private ones need membership, internal ones any signed-in user. */
export type Visibility = 'private' | 'internal' | 'public'

export interface GroupFixture {
  id: string
  fullPath: string
  name: string
  memberIds: string[]
  duoFeaturesEnabled: boolean
}

export interface ProjectFixture {
  id: string
  fullPath: string
  name: string
  groupId: string
  visibility: Visibility
  memberIds: string[]
  duoFeaturesEnabled: boolean
}

/** A comment on an issue, epic or merge request. */
export interface NoteFixture {
  authorUsername: string
  createdAt: string
  body: string
}

export interface IssueFixture {
  id: string
  iid: number
  projectId: string
  title: string
  description: string
  state: 'opened' | 'closed'
  labels: string[]
  authorUsername: string
  assigneeUsernames: string[]
  createdAt: string
  notes: NoteFixture[]
}

export interface EpicFixture {
  id: string
  iid: number
  groupId: string
  title: string
  description: string
  state: 'opened' | 'closed'
  labels: string[]
  authorUsername: string
  createdAt: string
  /** Child issues in any project of the group, readable or not: readers filter per user. */
  childIssueIds: string[]
  notes: NoteFixture[]
}

export interface MergeRequestFixture {
  id: string
  iid: number
  projectId: string
  title: string
  description: string
  state: 'opened' | 'merged' | 'closed'
  sourceBranch: string
  targetBranch: string
  authorUsername: string
  createdAt: string
  /** Unified diff of all changes. */
  diff: string
  notes: NoteFixture[]
}

/** A page of the GitLab documentation that the documentation tool searches. */
export interface DocPageFixture {
  title: string
  url: string
  body: string
}

export interface Fixtures {
  users: UserFixture[]
  groups: GroupFixture[]
  projects: ProjectFixture[]
  issues: IssueFixture[]
  epics: EpicFixture[]
  mergeRequests: MergeRequestFixture[]
  docs: DocPageFixture[]
}

export const ALICE_ID = 'gid://gitlab/User/1'
export const BOB_ID = 'gid://gitlab/User/2'

/** Where bare references like `#2` point when a question has no resource to anchor them. */
export const HOME_PROJECT_ID = 'gid://gitlab/Project/1'

const SAFARI_DIFF = `diff --git a/app/assets/javascripts/checkout/pay_button.js b/app/assets/javascripts/checkout/pay_button.js
index 3f9c2a1..8b04d7e 100644
--- a/app/assets/javascripts/checkout/pay_button.js
+++ b/app/assets/javascripts/checkout/pay_button.js
@@ -12,11 +12,14 @@ export function mountPayButton(root, { onPay }) {
   const button = root.querySelector('.js-pay-button');
   const overlay = root.querySelector('.js-promo-overlay');
 
-  // Safari dispatches the click to the transparent overlay, not the button.
-  button.addEventListener('click', onPay);
+  // The promo overlay sits above the button; ignore it for pointer events so the
+  // click reaches the button in every browser, and handle the event explicitly.
+  overlay.style.pointerEvents = 'none';
+  button.addEventListener('click', (event) => {
+    event.preventDefault();
+    onPay();
+  });
 
   return () => {
-    button.removeEventListener('click', onPay);
+    button.replaceWith(button.cloneNode(true));
   };
 }
diff --git a/spec/frontend/checkout/pay_button_spec.js b/spec/frontend/checkout/pay_button_spec.js
index 1d2e4b7..c57a9e0 100644
--- a/spec/frontend/checkout/pay_button_spec.js
+++ b/spec/frontend/checkout/pay_button_spec.js
@@ -20,4 +20,12 @@ describe('mountPayButton', () => {
     expect(onPay).toHaveBeenCalledTimes(1);
   });
+
+  it('calls onPay when the promo overlay covers the button', () => {
+    const root = mountWithOverlay();
+    mountPayButton(root, { onPay });
+    root.querySelector('.js-pay-button').click();
+
+    expect(onPay).toHaveBeenCalledTimes(1);
+  });
 });
`

const SEED: Fixtures = {
  users: [
    { id: ALICE_ID, username: 'alice', name: 'Alice Anders', token: 'alice-token' },
    { id: BOB_ID, username: 'bob', name: 'Bob Brennan', token: 'bob-token' },
  ],
  groups: [
    {
      id: 'gid://gitlab/Group/1',
      fullPath: 'acme',
      name: 'Acme',
      memberIds: [ALICE_ID, BOB_ID],
      duoFeaturesEnabled: true,
    },
  ],
  projects: [
    {
      id: HOME_PROJECT_ID,
      fullPath: 'acme/shop',
      name: 'Shop',
      groupId: 'gid://gitlab/Group/1',
      visibility: 'internal',
      memberIds: [ALICE_ID, BOB_ID],
      duoFeaturesEnabled: true,
    },
    {
      id: 'gid://gitlab/Project/2',
      fullPath: 'acme/legacy',
      name: 'Legacy',
      groupId: 'gid://gitlab/Group/1',
      visibility: 'internal',
      memberIds: [ALICE_ID, BOB_ID],
      duoFeaturesEnabled: false,
    },
    {
      id: 'gid://gitlab/Project/3',
      fullPath: 'acme/secret',
      name: 'Secret',
      groupId: 'gid://gitlab/Group/1',
      visibility: 'private',
      memberIds: [BOB_ID],
      duoFeaturesEnabled: true,
    },
  ],
  issues: [
    {
      id: 'gid://gitlab/Issue/1',
      iid: 1,
      projectId: HOME_PROJECT_ID,
      title: 'Checkout button unresponsive on Safari',
      description:
        'On Safari 17 (macOS and iOS) clicking **Pay now** on the checkout page does nothing: no request is sent and no error is shown. ' +
        'Chrome and Firefox work. It started after the spring promo banner was released, which places a transparent overlay above the payment form.\n\n' +
        '### Steps to reproduce\n\n1. Add any item to the cart.\n2. Open `/checkout` in Safari.\n3. Click **Pay now**.\n\n' +
        '### Expected\n\nThe payment dialog opens.\n\n' +
        'About 18% of our checkout sessions come from Safari, so this blocks a large share of orders.',
      state: 'opened',
      labels: ['bug', 'checkout', 'browser::safari', 'priority::1'],
      authorUsername: 'bob',
      assigneeUsernames: ['alice'],
      createdAt: '2025-03-03T09:12:00Z',
      notes: [
        {
          authorUsername: 'alice',
          createdAt: '2025-03-03T10:40:00Z',
          body: 'Reproduced on Safari 17.3. The click lands on `.js-promo-overlay`, not on the button; Web Inspector shows no listener firing on the button.',
        },
        {
          authorUsername: 'bob',
          createdAt: '2025-03-03T13:05:00Z',
          body: 'Support has 42 tickets about this since Friday. Can we hotfix before the weekend sale?',
        },
        {
          authorUsername: 'alice',
          createdAt: '2025-03-04T08:20:00Z',
          body: 'Fix is up in !1: the overlay ignores pointer events and the handler calls `preventDefault()`. Needs a review.',
        },
      ],
    },
    {
      id: 'gid://gitlab/Issue/2',
      iid: 2,
      projectId: HOME_PROJECT_ID,
      title: 'Add Apple Pay to checkout',
      description:
        'Offer Apple Pay as a payment method on the checkout page for Safari users on macOS and iOS. ' +
        'Use the payment provider’s hosted button so that we stay out of PCI scope, and fall back to the card form when Apple Pay is unavailable.',
      state: 'opened',
      labels: ['feature', 'checkout'],
      authorUsername: 'alice',
      assigneeUsernames: [],
      createdAt: '2025-02-20T15:30:00Z',
      notes: [],
    },
    {
      id: 'gid://gitlab/Issue/3',
      iid: 3,
      projectId: HOME_PROJECT_ID,
      title: 'Order confirmation email shows prices in the wrong currency',
      description:
        'Customers who pay in EUR receive a confirmation email with amounts in USD. The email template formats the total with the shop default currency instead of the order currency.',
      state: 'closed',
      labels: ['bug', 'email'],
      authorUsername: 'bob',
      assigneeUsernames: ['bob'],
      createdAt: '2025-01-14T11:00:00Z',
      notes: [
        {
          authorUsername: 'bob',
          createdAt: '2025-01-16T09:00:00Z',
          body: 'Fixed by passing `order.currency` to the formatter. Closing.',
        },
      ],
    },
    {
      id: 'gid://gitlab/Issue/50',
      iid: 1,
      projectId: 'gid://gitlab/Project/2',
      title: 'Invoice PDFs render without the company logo',
      description: 'Since the PDF library upgrade, invoices generated by the legacy billing service no longer include the logo in the header.',
      state: 'opened',
      labels: ['bug', 'billing'],
      authorUsername: 'alice',
      assigneeUsernames: [],
      createdAt: '2024-11-02T08:00:00Z',
      notes: [],
    },
    {
      id: 'gid://gitlab/Issue/99',
      iid: 1,
      projectId: 'gid://gitlab/Project/3',
      title: 'Secret roadmap',
      description: 'Plans for the 2026 marketplace launch and the partners we are negotiating with. Do not share outside the leadership team.',
      state: 'opened',
      labels: ['confidential'],
      authorUsername: 'bob',
      assigneeUsernames: ['bob'],
      createdAt: '2025-01-05T17:45:00Z',
      notes: [
        {
          authorUsername: 'bob',
          createdAt: '2025-01-06T09:10:00Z',
          body: 'Partner shortlist attached; decision due in Q2.',
        },
      ],
    },
  ],
  epics: [
    {
      id: 'gid://gitlab/Epic/1',
      iid: 1,
      groupId: 'gid://gitlab/Group/1',
      title: 'Checkout redesign',
      description:
        'Rebuild the checkout as a single page with fewer steps, modern payment methods and reliable behaviour in every supported browser. ' +
        'Success means a checkout conversion rate above 65% and no browser-specific blockers.',
      state: 'opened',
      labels: ['epic::checkout', 'Q2'],
      authorUsername: 'alice',
      createdAt: '2025-02-01T10:00:00Z',
      childIssueIds: ['gid://gitlab/Issue/1', 'gid://gitlab/Issue/2', 'gid://gitlab/Issue/99'],
      notes: [
        {
          authorUsername: 'bob',
          createdAt: '2025-02-03T12:00:00Z',
          body: 'Design review is booked for next Tuesday; the Safari bug should be fixed before we start the rollout.',
        },
      ],
    },
  ],
  mergeRequests: [
    {
      id: 'gid://gitlab/MergeRequest/1',
      iid: 1,
      projectId: HOME_PROJECT_ID,
      title: 'Fix Safari checkout click handler',
      description:
        'Closes #1.\n\nThe spring promo overlay covered the **Pay now** button and Safari sent the click to the overlay. ' +
        'This makes the overlay ignore pointer events, calls `preventDefault()` in the handler and adds a regression test.',
      state: 'opened',
      sourceBranch: 'fix-safari-checkout-click',
      targetBranch: 'main',
      authorUsername: 'alice',
      createdAt: '2025-03-04T08:15:00Z',
      diff: SAFARI_DIFF,
      notes: [
        {
          authorUsername: 'bob',
          createdAt: '2025-03-04T09:30:00Z',
          body: 'Tested on Safari 17.3 and iOS 17: the payment dialog opens. Could the cleanup keep `removeEventListener` instead of cloning the node?',
        },
        {
          authorUsername: 'alice',
          createdAt: '2025-03-04T10:02:00Z',
          body: 'The handler is an inline arrow now, so cloning is the simplest way to drop it. Happy to extract it if you prefer.',
        },
      ],
    },
  ],
  docs: [
    {
      title: 'GitLab Duo Chat',
      url: 'https://docs.gitlab.com/user/gitlab_duo_chat/',
      body:
        'GitLab Duo Chat is an AI assistant that answers questions about GitLab and about the issues, epics, merge requests and code you can see. ' +
        'Open it from the GitLab Duo Chat button in the upper-right corner of any page. ' +
        'Chat uses the page you are on as context, so you can ask it to summarize the current issue or explain a merge request. ' +
        'Slash commands such as /explain, /tests and /refactor work on selected code, and /new starts a new conversation.',
    },
    {
      title: 'Merge requests',
      url: 'https://docs.gitlab.com/user/project/merge_requests/',
      body:
        'A merge request (MR) is a proposal to incorporate changes from a source branch to a target branch. ' +
        'To create a merge request, push a branch and select Create merge request, or open Code > Merge requests and select New merge request. ' +
        'Reviewers can comment on the diff, suggest changes and approve. When the pipeline passes and the required approvals are given, select Merge.',
    },
    {
      title: 'Issues',
      url: 'https://docs.gitlab.com/user/project/issues/',
      body:
        'Use issues to collaborate on ideas, solve problems and plan work. ' +
        'To create an issue, open Plan > Issues and select New issue, then fill in the title and description. ' +
        'You can assign issues, add labels and milestones, relate them to other issues and close them automatically from a merge request with Closes #123 in its description.',
    },
    {
      title: 'CI/CD pipelines',
      url: 'https://docs.gitlab.com/ci/pipelines/',
      body:
        'Pipelines are the top-level component of continuous integration, delivery and deployment. ' +
        'A pipeline is made of jobs, which define what to do, and stages, which define when to run the jobs. ' +
        'To configure a pipeline, add a .gitlab-ci.yml file to the root of your repository; GitLab runs it on every push. ' +
        'You can view pipelines under Build > Pipelines and retry or cancel them there.',
    },
    {
      title: 'CI/CD YAML syntax reference',
      url: 'https://docs.gitlab.com/ci/yaml/',
      body:
        'The .gitlab-ci.yml file configures your CI/CD pipeline. ' +
        'Each job needs a script; use stages to order jobs, rules to decide when a job runs, cache and artifacts to pass files between jobs, and variables to configure them. ' +
        'Validate the file with the pipeline editor before you commit it.',
    },
    {
      title: 'Epics',
      url: 'https://docs.gitlab.com/user/group/epics/',
      body:
        'Epics group issues that share a theme across projects and milestones in a group. ' +
        'To create an epic, open Plan > Epics in a group and select New epic. ' +
        'Add child issues and child epics to track progress, and use the roadmap to see epics over time.',
    },
  ],
}

/** A fresh deep copy of all fixtures. */
export function createFixtures(): Fixtures {
  return structuredClone(SEED)
}
