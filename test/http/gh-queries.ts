/**
 * The GraphQL documents gh 2.23.0 (the Debian package) sends, copied from cli/cli at tag v2.23.0 with its Go
 * formatting resolved for the default flags. Sources: api/queries_user.go (CurrentLoginName, via shurcooL's query
 * builder), internal/featuredetection/feature_detection.go (RepositoryFeatures), pkg/cmd/repo/list/http.go with
 * list.go's defaultFields plus "visibility", api/queries_repo.go FetchRepository with view.go's defaultFields and
 * GitHubRepo (used by `gh repo clone`), and pkg/cmd/repo/create/http.go.
 */

/** `gh auth status` and `gh auth login`: api.CurrentLoginName. */
export const GH_USER_CURRENT = 'query UserCurrent{viewer{login}}';

/** `gh repo list`, before listing: does this host's Repository type have `visibility`? */
export const GH_REPOSITORY_FIELDS = 'query Repository_fields{Repository: __type(name: "Repository"){fields(includeDeprecated: true){name}}}';

/** `gh repo list` (no owner argument): repositoryOwner is the viewer. */
export const GH_REPOSITORY_LIST = `query RepositoryList($perPage:Int!,$endCursor:String,$privacy:RepositoryPrivacy,$fork:Boolean) {
		repositoryOwner: viewer {
			login
			repositories(first: $perPage, after: $endCursor, privacy: $privacy, isFork: $fork, ownerAffiliations: OWNER, orderBy: { field: PUSHED_AT, direction: DESC }) {
				nodes{nameWithOwner,description,isPrivate,isFork,isArchived,createdAt,pushedAt,visibility}
				totalCount
				pageInfo{hasNextPage,endCursor}
			}
		}
	}`;

/** `gh repo list OWNER`. */
export const GH_REPOSITORY_LIST_OF_OWNER = `query RepositoryList($perPage:Int!,$endCursor:String,$privacy:RepositoryPrivacy,$fork:Boolean,$owner:String!) {
		repositoryOwner(login: $owner) {
			login
			repositories(first: $perPage, after: $endCursor, privacy: $privacy, isFork: $fork, ownerAffiliations: OWNER, orderBy: { field: PUSHED_AT, direction: DESC }) {
				nodes{nameWithOwner,description,isPrivate,isFork,isArchived,createdAt,pushedAt,visibility}
				totalCount
				pageInfo{hasNextPage,endCursor}
			}
		}
	}`;

/** `gh repo view OWNER/NAME`. */
export const GH_REPOSITORY_INFO = `query RepositoryInfo($owner: String!, $name: String!) {
		repository(owner: $owner, name: $name) {name,owner{id,login},description}
	}`;

/** `gh repo clone OWNER/NAME`: api.GitHubRepo. */
export const GH_GITHUB_REPO = `
	fragment repo on Repository {
		id
		name
		owner { login }
		hasIssuesEnabled
		description
		hasWikiEnabled
		viewerPermission
		defaultBranchRef {
			name
		}
	}

	query RepositoryInfo($owner: String!, $name: String!) {
		repository(owner: $owner, name: $name) {
			...repo
			parent {
				...repo
			}
			mergeCommitAllowed
			rebaseMergeAllowed
			squashMergeAllowed
		}
	}`;

/** `gh repo create NAME --private` (the input gh builds: no ownerId without an OWNER/ prefix). */
export const GH_REPOSITORY_CREATE = `
	mutation RepositoryCreate($input: CreateRepositoryInput!) {
		createRepository(input: $input) {
			repository {
				id
				name
				owner { login }
				url
			}
		}
	}
	`;
