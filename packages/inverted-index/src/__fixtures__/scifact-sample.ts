/**
 * A slice of BEIR SciFact for always-on tests: 48 abstracts (texts cut to
 * 1,200 characters), 8 test claims and their judgments. Source:
 * ../shared/data/ir/scifact (CC BY 4.0 claims; ODC-By 1.0 abstracts).
 */
export const SCIFACT_DOCS: readonly { id: string; title: string; text: string }[] = [
  {
    id: '31715818',
    title: 'New opportunities: the use of nanotechnologies to manipulate and track stem cells.',
    text: 'Nanotechnologies are emerging platforms that could be useful in measuring, understanding, and manipulating stem cells. Examples include magnetic nanoparticles and quantum dots for stem cell labeling and in vivo tracking; nanoparticles, carbon nanotubes, and polyplexes for the intracellular delivery of genes/oligonucleotides and protein/peptides; and engineered nanometer-scale scaffolds for stem cell differentiation and transplantation. This review examines the use of nanotechnologies for stem cell tracking, differentiation, and transplantation. We further discuss their utility and the potential concerns regarding their cytotoxicity.',
  },
  {
    id: '14717500',
    title: 'Rare Variants Create Synthetic Genome-Wide Associations',
    text: 'Genome-wide association studies (GWAS) have now identified at least 2,000 common variants that appear associated with common diseases or related traits (http://www.genome.gov/gwastudies), hundreds of which have been convincingly replicated. It is generally thought that the associated markers reflect the effect of a nearby common (minor allele frequency >0.05) causal site, which is associated with the marker, leading to extensive resequencing efforts to find causal sites. We propose as an alternative explanation that variants much less common than the associated one may create "synthetic associations" by occurring, stochastically, more often in association with one of the alleles at the common site versus the other allele. Although synthetic associations are an obvious theoretical possibility, they have never been systematically explored as a possible explanation for GWAS findings. Here, we use simple computer simulations to show the conditions under which such synthetic associations will arise and how they may be recognized. We show that they are not only possible, but inevitable, and that under simple but reasonable genetic models, they are likely to account for or contribute to m',
  },
  {
    id: '13734012',
    title:
      'Prevalent abnormal prion protein in human appendixes after bovine spongiform encephalopathy epizootic: large scale survey',
    text: 'OBJECTIVES To carry out a further survey of archived appendix samples to understand better the differences between existing estimates of the prevalence of subclinical infection with prions after the bovine spongiform encephalopathy epizootic and to see whether a broader birth cohort was affected, and to understand better the implications for the management of blood and blood products and for the handling of surgical instruments. DESIGN Irreversibly unlinked and anonymised large scale survey of archived appendix samples. SETTING Archived appendix samples from the pathology departments of 41 UK hospitals participating in the earlier survey, and additional hospitals in regions with lower levels of participation in that survey. SAMPLE 32,441 archived appendix samples fixed in formalin and embedded in paraffin and tested for the presence of abnormal prion protein (PrP). RESULTS Of the 32,441 appendix samples 16 were positive for abnormal PrP, indicating an overall prevalence of 493 per million population (95% confidence interval 282 to 801 per million). The prevalence in those born in 1941-60 (733 per million, 269 to 1596 per million) did not differ significantly from those born between',
  },
  {
    id: '1606628',
    title: 'Estimates of global prevalence of childhood underweight in 1990 and 2015.',
    text: 'CONTEXT One key target of the United Nations Millennium Development goals is to reduce the prevalence of underweight among children younger than 5 years by half between 1990 and 2015. OBJECTIVE To estimate trends in childhood underweight by geographic regions of the world. DESIGN, SETTING, AND PARTICIPANTS Time series study of prevalence of underweight, defined as weight 2 SDs below the mean weight for age of the National Center for Health Statistics and World Health Organization (WHO) reference population. National prevalence rates derived from the WHO Global Database on Child Growth and Malnutrition, which includes data on approximately 31 million children younger than 5 years who participated in 419 national nutritional surveys in 139 countries from 1965 through 2002. MAIN OUTCOME MEASURES Linear mixed-effects modeling was used to estimate prevalence rates and numbers of underweight children by region in 1990 and 2015 and to calculate the changes (ie, increase or decrease) to these values between 1990 and 2015. RESULTS Worldwide, underweight prevalence was projected to decline from 26.5% in 1990 to 17.6% in 2015, a change of -34% (95% confidence interval [CI], -43% to -23%). In ',
  },
  {
    id: '5152028',
    title:
      'Folic acid improves endothelial function in coronary artery disease via mechanisms largely independent of homocysteine lowering.',
    text: 'BACKGROUND Homocysteine is a risk factor for coronary artery disease (CAD), although a causal relation remains to be proven. The importance of determining direct causality rests in the fact that plasma homocysteine can be safely and inexpensively reduced by 25% with folic acid. This reduction is maximally achieved by doses of 0.4 mg/d. High-dose folic acid (5 mg/d) improves endothelial function in CAD, although the mechanism is controversial. It has been proposed that improvement occurs through reduction in total (tHcy) or free (non-protein bound) homocysteine (fHcy). We investigated the effects of folic acid on endothelial function before a change in homocysteine in patients with CAD. METHODS AND RESULTS A randomized, placebo-controlled study of folic acid (5 mg/d) for 6 weeks was undertaken in 33 patients. Endothelial function, assessed by flow-mediated dilatation (FMD), was measured before, at 2 and 4 hours after the first dose of folic acid, and after 6 weeks of treatment. Plasma folate increased markedly by 1 hour (200 compared with 25.8 nmol/L; P<0.001). FMD improved at 2 hours (83 compared with 47 microm; P<0.001) and was largely complete by 4 hours (101 compared with 51 mic',
  },
  {
    id: '11705328',
    title: 'Randomized trial of folic acid supplementation and serum homocysteine levels.',
    text: "BACKGROUND Lowering serum homocysteine levels with folic acid is expected to reduce mortality from ischemic heart disease. Homocysteine reduction is known to be maximal at a folic acid dosage of 1 mg/d, but the effect of lower doses (relevant to food fortification) is unclear. METHODS We randomized 151 patients with ischemic heart disease to 1 of 5 dosages of folic acid (0.2, 0.4, 0.6, 0.8, and 1.0 mg/d) or placebo. Fasting blood samples for serum homocysteine and serum folate analysis were taken initially, after 3 months of supplementation, and 3 months after folic acid use was discontinued. RESULTS Median serum homocysteine level decreased with increasing folic acid dosage, to a maximum at 0.8 mg of folic acid per day, when the homocysteine reduction (placebo adjusted) was 2.7 micromol/L (23%), similar to the known effect of folic acid dosages of 1 mg/d and above. The higher a person's initial serum homocysteine level, the greater was the response to folic acid, but there were statistically significant reductions regardless of the initial level. Serum folate level increased approximately linearly (5.5 nmol/L for every 0.1 mg of folic acid). Within-person fluctuations over time in",
  },
  {
    id: '18174210',
    title:
      'Increased Microerythrocyte Count in Homozygous α+-Thalassaemia Contributes to Protection against Severe Malarial Anaemia',
    text: 'BACKGROUND The heritable haemoglobinopathy alpha(+)-thalassaemia is caused by the reduced synthesis of alpha-globin chains that form part of normal adult haemoglobin (Hb). Individuals homozygous for alpha(+)-thalassaemia have microcytosis and an increased erythrocyte count. Alpha(+)-thalassaemia homozygosity confers considerable protection against severe malaria, including severe malarial anaemia (SMA) (Hb concentration < 50 g/l), but does not influence parasite count. We tested the hypothesis that the erythrocyte indices associated with alpha(+)-thalassaemia homozygosity provide a haematological benefit during acute malaria. METHODS AND FINDINGS Data from children living on the north coast of Papua New Guinea who had participated in a case-control study of the protection afforded by alpha(+)-thalassaemia against severe malaria were reanalysed to assess the genotype-specific reduction in erythrocyte count and Hb levels associated with acute malarial disease. We observed a reduction in median erythrocyte count of approximately 1.5 x 10(12)/l in all children with acute falciparum malaria relative to values in community children (p < 0.001). We developed a simple mathematical model of',
  },
  {
    id: '5953485',
    title:
      'ADAR1 Forms a Complex with Dicer to Promote MicroRNA Processing and RNA-Induced Gene Silencing',
    text: 'Adenosine deaminases acting on RNA (ADARs) are involved in RNA editing that converts adenosine residues to inosine specifically in double-stranded RNAs. In this study, we investigated the interaction of the RNA editing mechanism with the RNA interference (RNAi) machinery and found that ADAR1 forms a complex with Dicer through direct protein-protein interaction. Most importantly, ADAR1 increases the maximum rate (Vmax) of pre-microRNA (miRNA) cleavage by Dicer and facilitates loading of miRNA onto RNA-induced silencing complexes, identifying a new role of ADAR1 in miRNA processing and RNAi mechanisms. ADAR1 differentiates its functions in RNA editing and RNAi by the formation of either ADAR1/ADAR1 homodimer or Dicer/ADAR1 heterodimer complexes, respectively. As expected, the expression of miRNAs is globally inhibited in ADAR1(-/-) mouse embryos, which, in turn, alters the expression of their target genes and might contribute to their embryonic lethal phenotype.',
  },
  {
    id: '4983',
    title:
      'Microstructural development of human newborn cerebral white matter assessed in vivo by diffusion tensor magnetic resonance imaging.',
    text: 'Alterations of the architecture of cerebral white matter in the developing human brain can affect cortical development and result in functional disabilities. A line scan diffusion-weighted magnetic resonance imaging (MRI) sequence with diffusion tensor analysis was applied to measure the apparent diffusion coefficient, to calculate relative anisotropy, and to delineate three-dimensional fiber architecture in cerebral white matter in preterm (n = 17) and full-term infants (n = 7). To assess effects of prematurity on cerebral white matter development, early gestation preterm infants (n = 10) were studied a second time at term. In the central white matter the mean apparent diffusion coefficient at 28 wk was high, 1.8 microm2/ms, and decreased toward term to 1.2 microm2/ms. In the posterior limb of the internal capsule, the mean apparent diffusion coefficients at both times were similar (1.2 versus 1.1 microm2/ms). Relative anisotropy was higher the closer birth was to term with greater absolute values in the internal capsule than in the central white matter. Preterm infants at term showed higher mean diffusion coefficients in the central white matter (1.4 +/- 0.24 versus 1.15 +/- 0.09',
  },
  {
    id: '5836',
    title: 'Induction of myelodysplasia by myeloid-derived suppressor cells.',
    text: 'Myelodysplastic syndromes (MDS) are age-dependent stem cell malignancies that share biological features of activated adaptive immune response and ineffective hematopoiesis. Here we report that myeloid-derived suppressor cells (MDSC), which are classically linked to immunosuppression, inflammation, and cancer, were markedly expanded in the bone marrow of MDS patients and played a pathogenetic role in the development of ineffective hematopoiesis. These clonally distinct MDSC overproduce hematopoietic suppressive cytokines and function as potent apoptotic effectors targeting autologous hematopoietic progenitors. Using multiple transfected cell models, we found that MDSC expansion is driven by the interaction of the proinflammatory molecule S100A9 with CD33. These 2 proteins formed a functional ligand/receptor pair that recruited components to CD33’s immunoreceptor tyrosine-based inhibition motif (ITIM), inducing secretion of the suppressive cytokines IL-10 and TGF-β by immature myeloid cells. S100A9 transgenic mice displayed bone marrow accumulation of MDSC accompanied by development of progressive multilineage cytopenias and cytological dysplasia. Importantly, early forced maturation',
  },
  {
    id: '7912',
    title:
      'BC1 RNA, the transcript from a master gene for ID element amplification, is able to prime its own reverse transcription.',
    text: "ID elements are short interspersed elements (SINEs) found in high copy number in many rodent genomes. BC1 RNA, an ID-related transcript, is derived from the single copy BC1 RNA gene. The BC1 RNA gene has been shown to be a master gene for ID element amplification in rodent genomes. ID elements are dispersed through a process termed retroposition. The retroposition process involves a number of potential regulatory steps. These regulatory steps may include transcription in the appropriate tissue, transcript stability, priming of the RNA transcript for reverse transcription and integration. This study focuses on priming of the RNA transcript for reverse transcription. BC1 RNA gene transcripts are shown to be able to prime their own reverse transcription in an efficient intramolecular and site-specific fashion. This self-priming ability is a consequence of the secondary structure of the 3'-unique region. The observation that a gene actively amplified throughout rodent evolution makes a RNA capable of efficient self-primed reverse transcription strongly suggests that self-priming is at least one feature establishing the BC1 RNA gene as a master gene for amplification of ID elements.",
  },
  {
    id: '18670',
    title: 'The DNA Methylome of Human Peripheral Blood Mononuclear Cells',
    text: 'DNA methylation plays an important role in biological processes in human health and disease. Recent technological advances allow unbiased whole-genome DNA methylation (methylome) analysis to be carried out on human cells. Using whole-genome bisulfite sequencing at 24.7-fold coverage (12.3-fold per strand), we report a comprehensive (92.62%) methylome and analysis of the unique sequences in human peripheral blood mononuclear cells (PBMC) from the same Asian individual whose genome was deciphered in the YH project. PBMC constitute an important source for clinical blood tests world-wide. We found that 68.4% of CpG sites and <0.2% of non-CpG sites were methylated, demonstrating that non-CpG cytosine methylation is minor in human PBMC. Analysis of the PBMC methylome revealed a rich epigenomic landscape for 20 distinct genomic features, including regulatory, protein-coding, non-coding, RNA-coding, and repeat sequences. Integration of our methylome data with the YH genome sequence enabled a first comprehensive assessment of allele-specific methylation (ASM) between the two haploid methylomes of any individual and allowed the identification of 599 haploid differentially methylated regions ',
  },
  {
    id: '19238',
    title:
      'The human myelin basic protein gene is included within a 179-kilobase transcription unit: expression in the immune and central nervous systems.',
    text: 'Two human Golli (for gene expressed in the oligodendrocyte lineage)-MBP (for myelin basic protein) cDNAs have been isolated from a human oligodendroglioma cell line. Analysis of these cDNAs has enabled us to determine the entire structure of the human Golli-MBP gene. The Golli-MBP gene, which encompasses the MBP transcription unit, is approximately 179 kb in length and consists of 10 exons, seven of which constitute the MBP gene. The human Golli-MBP gene contains two transcription start sites, each of which gives rise to a family of alternatively spliced transcripts. At least two Golli-MBP transcripts, containing the first three exons of the gene and one or more MBP exons, are produced from the first transcription start site. The second family of transcripts contains only MBP exons and produces the well-known MBPs. In humans, RNA blot analysis revealed that Golli-MBP transcripts were expressed in fetal thymus, spleen, and human B-cell and macrophage cell lines, as well as in fetal spinal cord. These findings clearly link the expression of exons encoding the autoimmunogen/encephalitogen MBP in the central nervous system to cells and tissues of the immune system through normal expres',
  },
  {
    id: '33370',
    title: 'Targeting A20 Decreases Glioma Stem Cell Survival and Tumor Growth',
    text: 'Glioblastomas are deadly cancers that display a functional cellular hierarchy maintained by self-renewing glioblastoma stem cells (GSCs). GSCs are regulated by molecular pathways distinct from the bulk tumor that may be useful therapeutic targets. We determined that A20 (TNFAIP3), a regulator of cell survival and the NF-kappaB pathway, is overexpressed in GSCs relative to non-stem glioblastoma cells at both the mRNA and protein levels. To determine the functional significance of A20 in GSCs, we targeted A20 expression with lentiviral-mediated delivery of short hairpin RNA (shRNA). Inhibiting A20 expression decreased GSC growth and survival through mechanisms associated with decreased cell-cycle progression and decreased phosphorylation of p65/RelA. Elevated levels of A20 in GSCs contributed to apoptotic resistance: GSCs were less susceptible to TNFalpha-induced cell death than matched non-stem glioma cells, but A20 knockdown sensitized GSCs to TNFalpha-mediated apoptosis. The decreased survival of GSCs upon A20 knockdown contributed to the reduced ability of these cells to self-renew in primary and secondary neurosphere formation assays. The tumorigenic potential of GSCs was decrea',
  },
  {
    id: '36474',
    title:
      'Efficient targeting of expressed and silent genes in human ESCs and iPSCs using zinc-finger nucleases',
    text: 'Realizing the full potential of human embryonic stem cells (hESCs) and induced pluripotent stem cells (hiPSCs) requires efficient methods for genetic modification. However, techniques to generate cell type–specific lineage reporters, as well as reliable tools to disrupt, repair or overexpress genes by gene targeting, are inefficient at best and thus are not routinely used. Here we report the highly efficient targeting of three genes in human pluripotent cells using zinc-finger nuclease (ZFN)–mediated genome editing. First, using ZFNs specific for the OCT4 (POU5F1) locus, we generated OCT4-eGFP reporter cells to monitor the pluripotent state of hESCs. Second, we inserted a transgene into the AAVS1 locus to generate a robust drug-inducible overexpression system in hESCs. Finally, we targeted the PITX3 gene, demonstrating that ZFNs can be used to generate reporter cells by targeting non-expressed genes in hESCs and hiPSCs.',
  },
  {
    id: '54440',
    title: 'Empirical Bayesian models for analysing molecular serotyping microarrays',
    text: 'BACKGROUND Microarrays offer great potential as a platform for molecular diagnostics, testing clinical samples for the presence of numerous biomarkers in highly multiplexed assays. In this study applied to infectious diseases, data from a microarray designed for molecular serotyping of Streptococcus pneumoniae was used, identifying the presence of any one of 91 known pneumococcal serotypes from DNA extracts. This microarray incorporated oligonucleotide probes for all known capsular polysaccharide synthesis genes and required a statistical analysis of the microarray intensity data to determine which serotype, or combination of serotypes, were present within a sample based on the combination of genes detected. RESULTS We propose an empirical Bayesian model for calculating the probabilities of combinations of serotypes from the microarray data. The model takes into consideration the dependencies between serotypes, induced by genes they have in common, and by homologous genes which, although not identical, are similar to each other in sequence. For serotypes which are very similar in capsular gene composition, extra probes are included on the microarray, providing additional informatio',
  },
  {
    id: '70115',
    title: 'Bayesian measures of model complexity and fit',
    text: "Summary. We consider the problem of comparing complex hierarchical models in which the number of parameters is not clearly defined. Using an information theoretic argument we derive a measure pD for the effective number of parameters in a model as the difference between the posterior mean of the deviance and the deviance at the posterior means of the parameters of interest. In general pD approximately corresponds to the trace of the product of Fisher's information and the posterior covariance, which in normal models is the trace of the ‘hat’ matrix projecting observations onto fitted values. Its properties in exponential families are explored. The posterior mean deviance is suggested as a Bayesian measure of fit or adequacy, and the contributions of individual observations to the fit and complexity can give rise to a diagnostic plot of deviance residuals against leverages. Adding pD to the posterior mean deviance gives a deviance information criterion for comparing models, which is related to other information criteria and has an approximate decision theoretic justification. The procedure is illustrated in some examples, and comparisons are drawn with alternative Bayesian and class",
  },
  {
    id: '70490',
    title: 'Simplifying likelihood ratios',
    text: 'Likelihood ratios are one of the best measures of diagnostic accuracy, although they are seldom used, because interpreting them requires a calculator to convert back and forth between “probability” and “odds” of disease. This article describes a simpler method of interpreting likelihood ratios, one that avoids calculators, nomograms, and conversions to “odds” of disease. Several examples illustrate how the clinician can use this method to refine diagnostic decisions at the bedside.',
  },
  {
    id: '72159',
    title: 'induction of early IFN-inducible genes in the absence of type',
    text: 'On recognition of influenza virus (Flu) by TLR7, plasmacytoid dendritic cells (pDCs) produce type I IFN in significant amounts. Synthetic TLR7 ligands induce the maturation of pDCs, as evidenced by the expression of costimulatory molecules and the production of proinflammatory cytokines; however, they induce only low-level production of IFN-alpha. To dissect the TLR7 signaling in pDCs and how these different profiles are induced, we studied the effects of 2 TLR7 ligands (Flu and CL097) on the activation of blood-isolated pDCs and the human GEN2.2 pDC cell line. Type I IFN production by pDCs correlates with differential interferon regulatory factor 7 (IRF7) translocation into the nucleus induced by the 2 TLR7 ligands. Surprisingly, with both activators we nevertheless observed the rapid expression of the IFN-inducible genes mxa, cxcl10, and trail within 4 hours of stimulation. This expression, controlled by STAT1 phosphorylation, was independent of type I IFN. STAT1 activation was found to be strictly dependent on the PI3K-p38MAPK pathway, showing a new signaling pathway leading to rapid expression of IFN-inducible genes after TLR7 triggering. Thus, pDCs, through this unusual TLR7 s',
  },
  {
    id: '79447',
    title: 'Arteriolar function in visceral adipose tissue is impaired in human obesity.',
    text: 'OBJECTIVE The purpose of this study was to characterize the relationship between adipose tissue phenotype and depot-specific microvascular function in fat. METHODS AND RESULTS In 30 obese subjects (age 42±11 years, body mass index 46±11 kg/m(2)) undergoing bariatric surgery, we intraoperatively collected visceral and subcutaneous adipose tissue and characterized depot-specific adipose phenotypes. We assessed vasomotor function of the adipose microvasculature using videomicroscopy of small arterioles (75-250 μm) isolated from different fat compartments. Endothelium-dependent, acetylcholine-mediated vasodilation was severely impaired in visceral arterioles, compared to the subcutaneous depot (P<0.001 by ANOVA). Nonendothelium dependent responses to papaverine and nitroprusside were similar. Endothelial nitric oxide synthase inhibition with N(ω)-nitro-l-arginine methyl ester reduced subcutaneous vasodilation but had no effect on severely blunted visceral arteriolar responses. Visceral fat exhibited greater expression of proinflammatory, oxidative stress-related, hypoxia-induced, and proangiogenic genes; increased activated macrophage populations; and had a higher capacity for cytokine',
  },
  {
    id: '87758',
    title:
      'Common Carotid Intima Media Thickness and Ankle-Brachial Pressure Index Correlate with Local but Not Global Atheroma Burden: A Cross Sectional Study Using Whole Body Magnetic Resonance Angiography',
    text: 'BACKGROUND Common carotid intima media thickness (CIMT) and ankle brachial pressure index (ABPI) are used as surrogate marker of atherosclerosis, and have been shown to correlate with arterial stiffness, however their correlation with global atherosclerotic burden has not been previously assessed. We compare CIMT and ABPI with atheroma burden as measured by whole body magnetic resonance angiography (WB-MRA). METHODS 50 patients with symptomatic peripheral arterial disease were recruited. CIMT was measured using ultrasound while rest and exercise ABPI were performed. WB-MRA was performed in a 1.5T MRI scanner using 4 volume acquisitions with a divided dose of intravenous gadolinium gadoterate meglumine (Dotarem, Guerbet, FR). The WB-MRA data was divided into 31 anatomical arterial segments with each scored according to degree of luminal narrowing: 0 = normal, 1 = <50%, 2 = 50-70%, 3 = 70-99%, 4 = vessel occlusion. The segment scores were summed and from this a standardized atheroma score was calculated. RESULTS The atherosclerotic burden was high with a standardised atheroma score of 39.5±11. Common CIMT showed a positive correlation with the whole body atheroma score (β 0.32, p = 0',
  },
  {
    id: '92308',
    title:
      'Loss of immune escape mutations during persistent HCV infection in pregnancy enhances replication of vertically transmitted viruses',
    text: 'Globally, about 1% of pregnant women are persistently infected with the hepatitis C virus (HCV). Mother-to-child transmission of HCV occurs in 3-5% of pregnancies and accounts for most new childhood infections. HCV-specific CD8(+) cytotoxic T lymphocytes (CTLs) are vital in the clearance of acute HCV infections, but in the 60-80% of infections that persist, these cells become functionally exhausted or select for mutant viruses that escape T cell recognition. Increased HCV replication during pregnancy suggests that maternofetal immune tolerance mechanisms may further impair HCV-specific CTLs, limiting their selective pressure on persistent viruses. To assess this possibility, we characterized circulating viral quasispecies during and after consecutive pregnancies in two women. This revealed a loss of some escape mutations in HLA class I epitopes during pregnancy that was associated with emergence of more fit viruses. CTL selective pressure was reimposed after childbirth, at which point escape mutations in these epitopes again predominated in the quasispecies and viral load dropped sharply. Importantly, the viruses transmitted perinatally were those with enhanced fitness due to rever',
  },
  {
    id: '92499',
    title: 'The journey of developing hematopoietic stem cells.',
    text: 'Hematopoietic stem cells (HSCs) develop during embryogenesis in a complex process that involves multiple anatomical sites. Once HSC precursors have been specified from mesoderm, they have to mature into functional HSCs and undergo self-renewing divisions to generate a pool of HSCs. During this process, developing HSCs migrate through various embryonic niches, which provide signals for their establishment and the conservation of their self-renewal ability. These processes have to be recapitulated to generate HSCs from embryonic stem cells. Elucidating the interactions between developing HSCs and their niches should facilitate the generation and expansion of HSCs in vitro to exploit their clinical potential.',
  },
  {
    id: '97884',
    title: 'The sacroiliac joint in the spondyloarthropathies.',
    text: 'The term spondyloarthropathy (SpA) describes and defines a group of related inflammatory joint disease that share characteristic clinical features and a unique association with the major histocompatibility complex class I molecule HLA-B27. Five subgroups can be differentiated: ankylosing spondylitis, reactive arthritis, psoriatic arthritis, arthritis associated with inflammatory bowel disease, and undifferentiated SpA. The sacroiliac joints are centrally involved in the SpA, most clearly and pathognomonic in ankylosing spondylitis, in which most patients are affected early in the disease. Overcoming some of the diagnostic difficulties of early sacroiliitis, dynamic magnetic resonance imaging was shown to visualize both acute and chronic changes in the sacroiliac joints. The inflammation in the sacroiliac joints in patients with SpA was recently examined in more detail; using immunohistology and in situ hybridrization, T cells, macrophages, and various cytokines were found in infiltrates. Biopsy specimens were obtained under guided computed tomography, and in the same study, intra-articular corticosteroid treatment was successfully undertaken. Further investigation of such biopsy sp',
  },
  {
    id: '102662',
    title:
      'A rapid method for extraction of cotton (Gossypium spp.) genomic DNA suitable for RFLP or PCR analysis',
    text: 'Extraction of high-quality genomic DNA fromGossypium (cotton) species is difficult due to high levels of polysaccharide, oxidizable quinones, and other interfering substances. We describe a procedure that consistently permits isolation of cotton genomic DNA of satisfactory size and quality for RFLP and PCR analysis, as well as for most routine cloning applications. Several antioxidants, phenol-binding reagents, and phenol oxidase inhibitors are used throughout the procedure, and most polysaccharides are eliminated early in the procedure by isolation of nuclei.',
  },
  {
    id: '103007',
    title: 'Cross sectional stature and weight reference curves for the UK, 1990.',
    text: "The current reference curves of stature and weight for the UK were first published in 1966 and have been used ever since despite increasing concern that they may not adequately describe the growth of present day British children. Using current data from seven sources new reference curves have been estimated from birth to 20 years for children in 1990. The great majority of the data are nationally representative. The analysis used Cole's LMS method and has produced efficient estimates of the conventional centiles and gives a good fit to the data. These curves differ from the currently used curves at key ages for both stature and weight. In view of the concerns expressed about the current curves and the differences between them and the new curves, it is proposed that the curves presented here should be adopted as the new UK reference curves.",
  },
  {
    id: '104130',
    title: 'The suture provides a niche for mesenchymal stem cells of craniofacial bones',
    text: 'Bone tissue undergoes constant turnover supported by stem cells. Recent studies showed that perivascular mesenchymal stem cells (MSCs) contribute to the turnover of long bones. Craniofacial bones are flat bones derived from a different embryonic origin than the long bones. The identity and regulating niche for craniofacial-bone MSCs remain unknown. Here, we identify Gli1+ cells within the suture mesenchyme as the main MSC population for craniofacial bones. They are not associated with vasculature, give rise to all craniofacial bones in the adult and are activated during injury repair. Gli1+ cells are typical MSCs in vitro. Ablation of Gli1+ cells leads to craniosynostosis and arrest of skull growth, indicating that these cells are an indispensable stem cell population. Twist1(+/-) mice with craniosynostosis show reduced Gli1+ MSCs in sutures, suggesting that craniosynostosis may result from diminished suture stem cells. Our study indicates that craniofacial sutures provide a unique niche for MSCs for craniofacial bone homeostasis and repair.',
  },
  {
    id: '106301',
    title:
      'Cardiac neural crest cells contribute to the dormant multipotent stem cell in the mammalian heart',
    text: 'Arodent cardiac side population cell fraction formed clonal spheroids in serum-free medium, which expressed nestin, Musashi-1, and multi-drug resistance transporter gene 1, markers of undifferentiated neural precursor cells. These markers were lost following differentiation, and were replaced by the expression of neuron-, glial-, smooth muscle cell–, or cardiomyocyte-specific proteins. Cardiosphere-derived cells transplanted into chick embryos migrated to the truncus arteriosus and cardiac outflow tract and contributed to dorsal root ganglia, spinal nerves, and aortic smooth muscle cells. Lineage studies using double transgenic mice encoding protein 0–Cre/Floxed-EGFP revealed undifferentiated and differentiated neural crest-derived cells in the fetal myocardium. Undifferentiated cells expressed GATA-binding protein 4 and nestin, but not actinin, whereas the differentiated cells were identified as cardiomyocytes. These results suggest that cardiac neural crest-derived cells migrate into the heart, remain there as dormant multipotent stem cells—and under the right conditions—differentiate into cardiomyocytes and typical neural crest-derived cells, including neurons, glia, and smooth ',
  },
  {
    id: '116792',
    title:
      'The mammalian target of rapamycin signaling pathway mediates epileptogenesis in a model of temporal lobe epilepsy.',
    text: 'Understanding molecular mechanisms mediating epileptogenesis is critical for developing more effective therapies for epilepsy. We recently found that the mammalian target of rapamycin (mTOR) signaling pathway is involved in epileptogenesis, and mTOR inhibitors prevent epilepsy in a mouse model of tuberous sclerosis complex. Here, we investigated the potential role of mTOR in a rat model of temporal lobe epilepsy initiated by status epilepticus. Acute kainate-induced seizures resulted in biphasic activation of the mTOR pathway, as evident by an increase in phospho-S6 (P-S6) expression. An initial rise in P-S6 expression started approximately 1 h after seizure onset, peaked at 3-6 h, and returned to baseline by 24 h in both hippocampus and neocortex, reflecting widespread stimulation of mTOR signaling by acute seizure activity. After resolution of status epilepticus, a second increase in P-S6 was observed in hippocampus only, which started at 3 d, peaked 5-10 d, and persisted for several weeks after kainate injection, correlating with the development of chronic epileptogenesis within hippocampus. The mTOR inhibitor rapamycin, administered before kainate, blocked both the acute and ch',
  },
  {
    id: '118568',
    title:
      'Acute administration of recombinant Angiopoietin-1 ameliorates multiple-organ dysfunction syndrome and improves survival in murine sepsis.',
    text: 'INTRODUCTION Endothelial activation leading to vascular barrier breakdown plays an essential role in the pathophysiology of multiple-organ dysfunction syndrome (MODS) in sepsis. Increasing evidence suggests that the function of the vessel-protective factor Angiopoietin-1 (Ang-1), a ligand of the endothelial-specific Tie2 receptor, is inhibited by its antagonist Angiopoietin-2 (Ang-2) during sepsis. In order to reverse the effects of the sepsis-induced suppression of Ang-1 and elevation of Ang-2 we aimed to investigate whether an intravenous injection of recombinant human (rh) Ang-1 protects against MODS in murine sepsis. METHODS Polymicrobiological abdominal sepsis was induced by cecal ligation and puncture (CLP). Mice were treated with either 1 μg of intravenous rhAng-1 or control buffer immediately after CLP induction and every 8h thereafter. Sham-operated animals served as time-matched controls. RESULTS Compared to buffer-treated controls, rhAng-1 treated septic mice showed significant improvements in several hematologic and biochemical indicators of MODS. Moreover, rhAng-1 stabilized endothelial barrier function, as evidenced by inhibition of protein leakage from lung capillari',
  },
  {
    id: '120626',
    title: 'Mechanisms linking obesity to insulin resistance and type 2 diabetes',
    text: 'Obesity is associated with an increased risk of developing insulin resistance and type 2 diabetes. In obese individuals, adipose tissue releases increased amounts of non-esterified fatty acids, glycerol, hormones, pro-inflammatory cytokines and other factors that are involved in the development of insulin resistance. When insulin resistance is accompanied by dysfunction of pancreatic islet β-cells — the cells that release insulin — failure to control blood glucose levels results. Abnormalities in β-cell function are therefore critical in defining the risk and development of type 2 diabetes. This knowledge is fostering exploration of the molecular and genetic basis of the disease and new approaches to its treatment and prevention.',
  },
  {
    id: '123859',
    title:
      'Tracking the fate of glomerular epithelial cells in vivo using serial multiphoton imaging in novel mouse models with fluorescent lineage tags',
    text: "Podocytes are critical in the maintenance of a healthy glomerular filter; however, they have been difficult to study in the intact kidney because of technical limitations. Here we report the development of serial multiphoton microscopy (MPM) of the same glomeruli over several days to visualize the motility of podocytes and parietal epithelial cells (PECs) in vivo. In podocin-GFP mice, podocytes formed sporadic multicellular clusters after unilateral ureteral ligation and migrated into the parietal Bowman's capsule. The tracking of single cells in podocin-confetti mice featuring cell-specific expression of CFP, GFP, YFP or RFP revealed the simultaneous migration of multiple podocytes. In phosphoenolpyruvate carboxykinase (PEPCK)-GFP mice, serial MPM found PEC-to-podocyte migration and nanotubule connections. Our data support a highly dynamic rather than a static nature of the glomerular environment and cellular composition. Future application of this new approach should advance our understanding of the mechanisms of glomerular injury and regeneration.",
  },
  {
    id: '140874',
    title:
      'CTCF binding at the H19 imprinting control region mediates maternally inherited higher-order chromatin conformation to restrict enhancer access to Igf2.',
    text: 'It is thought that the H19 imprinting control region (ICR) directs the silencing of the maternally inherited Igf2 allele through a CTCF-dependent chromatin insulator. The ICR has been shown to interact physically with a silencer region in Igf2, differentially methylated region (DMR)1, but the role of CTCF in this chromatin loop and whether it restricts the physical access of distal enhancers to Igf2 is not known. We performed systematic chromosome conformation capture analyses in the Igf2/H19 region over >160 kb, identifying sequences that interact physically with the distal enhancers and the ICR. We found that, on the paternal chromosome, enhancers interact with the Igf2 promoters but that, on the maternal allele, this is prevented by CTCF binding within the H19 ICR. CTCF binding in the maternal ICR regulates its interaction with matrix attachment region (MAR)3 and DMR1 at Igf2, thus forming a tight loop around the maternal Igf2 locus, which may contribute to its silencing. Mutation of CTCF binding sites in the H19 ICR leads to loss of CTCF binding and de novo methylation of a CTCF target site within Igf2 DMR1, showing that CTCF can coordinate regional epigenetic marks. This syste',
  },
  {
    id: '143251',
    title:
      'De novo assembly of a PML nuclear subcompartment occurs through multiple pathways and induces telomere elongation.',
    text: 'Telomerase-negative tumor cells use an alternative lengthening of telomeres (ALT) pathway that involves DNA recombination and repair to maintain their proliferative potential. The cytological hallmark of this process is the accumulation of promyelocytic leukemia (PML) nuclear protein at telomeric DNA to form ALT-associated PML bodies (APBs). Here, the de novo formation of a telomeric PML nuclear subcompartment was investigated by recruiting APB protein components. We show that functionally distinct proteins were able to initiate the formation of bona fide APBs with high efficiency in a self-organizing and self-propagating manner. These included: (1) PML and Sp100 as the constituting components of PML nuclear bodies, (2) telomere repeat binding factors 1 and 2 (TRF1 and TRF2, respectively), (3) the DNA repair protein NBS1 and (4) the SUMO E3 ligase MMS21, as well as the isolated SUMO1 domain, through an interacting domain of another protein factor. By contrast, the repair factors Rad9, Rad17 and Rad51 were less efficient in APB nucleation but were recruited to preassembled APBs. The artificially created APBs induced telomeric extension through a DNA repair mechanism, as inferred fro',
  },
  {
    id: '152245',
    title:
      "Effects of an opal termination codon preceding the nsP4 gene sequence in the O'Nyong-Nyong virus genome on Anopheles gambiae infectivity.",
    text: "The genomic RNA of an alphavirus encodes four different nonstructural proteins, nsP1, nsP2, nsP3, and nsP4. The polyprotein P123 is produced when translation terminates at an opal termination codon between nsP3 and nsP4. The polyprotein P1234 is produced when translational readthrough occurs or when the opal termination codon has been replaced by a sense codon in the alphavirus genome. Evolutionary pressures appear to have maintained genomic sequences encoding both a stop codon (opal) and an open reading frame (arginine) as a general feature of the O'nyong-nyong virus (ONNV) genome, indicating that both are required at some point. Alternate replication of ONNVs in both vertebrate and invertebrate hosts may determine predominance of a particular codon at this locus in the viral quasispecies. However, no systematic study has previously tested this hypothesis in whole animals. We report here the results of the first study to investigate in a natural mosquito host the functional significance of the opal stop codon in an alphavirus genome. We used a full-length cDNA clone of ONNV to construct a series of mutants in which the arginine between nsP3 and nsP4 was replaced with an opal, ochr",
  },
  {
    id: '153744',
    title: 'Down-regulation of a host microRNA by a Herpesvirus saimiri noncoding RNA.',
    text: 'T cells transformed by Herpesvirus saimiri express seven viral U-rich noncoding RNAs of unknown function called HSURs. We noted that conserved sequences in HSURs 1 and 2 constitute potential binding sites for three host-cell microRNAs (miRNAs). Coimmunoprecipitation experiments confirmed that HSURs 1 and 2 interact with the predicted miRNAs in virally transformed T cells. The abundance of one of these miRNAs, miR-27, is dramatically lowered in transformed cells, with consequent effects on the expression of miR-27 target genes. Transient knockdown and ectopic expression of HSUR 1 demonstrate that it directs degradation of mature miR-27 in a sequence-specific and binding-dependent manner. This viral strategy illustrates use of a ncRNA to manipulate host-cell gene expression via the miRNA pathway.',
  },
  {
    id: '159469',
    title:
      'HTRF: A Technology Tailored for Drug Discovery –A Review of Theoretical Aspects and Recent Applications',
    text: 'HTRF (Homogeneous Time Resolved Fluorescence) is the most frequently used generic assay technology to measure analytes in a homogenous format, which is the ideal platform used for drug target studies in high-throughput screening (HTS). This technology combines fluorescence resonance energy transfer technology (FRET) with time-resolved measurement (TR). In TR-FRET assays, a signal is generated through fluorescent resonance energy transfer between a donor and an acceptor molecule when in close proximity to each other. Buffer and media interference is dramatically reduced by dual-wavelength detection, and the final signal is proportional to the extent of product formation. The HTRF assay is usually sensitive and robust that can be miniaturized into the 384 and 1536-well plate formats. This assay technology has been applied to many antibody-based assays including GPCR signaling (cAMP and IP-One), kinases, cytokines and biomarkers, bioprocess (antibody and protein production), as well as the assays for protein-protein, proteinpeptide, and protein-DNA/RNA interactions. Since its introduction to the drug-screening world over ten years ago, researchers have used HTRF to expedite the study ',
  },
  {
    id: '164189',
    title:
      'Chk1 inhibits replication factory activation but allows dormant origin firing in existing factories',
    text: 'Replication origins are licensed by loading MCM2-7 hexamers before entry into S phase. However, only ∼10% of licensed origins are normally used in S phase, with the others remaining dormant. When fork progression is inhibited, dormant origins initiate nearby to ensure that all of the DNA is eventually replicated. In apparent contrast, replicative stress activates ataxia telangiectasia and rad-3-related (ATR) and Chk1 checkpoint kinases that inhibit origin firing. In this study, we show that at low levels of replication stress, ATR/Chk1 predominantly suppresses origin initiation by inhibiting the activation of new replication factories, thereby reducing the number of active factories. At the same time, inhibition of replication fork progression allows dormant origins to initiate within existing replication factories. The inhibition of new factory activation by ATR/Chk1 therefore redirects replication toward active factories where forks are inhibited and away from regions that have yet to start replication. This minimizes the deleterious consequences of fork stalling and prevents similar problems from arising in unreplicated regions of the genome.',
  },
  {
    id: '164985',
    title:
      'Fra-1 protooncogene regulates IL-6 expression in macrophages and promotes the generation of M2d macrophages',
    text: 'The tumor microenvironment (TME) plays a prominent role in the growth of tumor cells. As the major inflammatory component of the TME, M2d macrophages are educated by the TME such that they adopt an immunosuppressive role that promotes tumor metastasis and progression. Fra-1 forms activator protein-1 heterodimers with Jun partners and drives gene transcription. Fra-1 is thought to drastically induce tumorigenesis and progression. However, the functional role of Fra-1 in the generation of M2d macrophages is poorly understood to date. Here, we demonstrate that 4T1 mammary carcinoma cells, when co-cultured with RAW264.7 macrophage cells, skew the RAW264.7 macrophage cell differentiation into M2d macrophages. The 4T1 cells stimulate de novo overexpression of Fra-1 in RAW264.7 cells, and then Fra-1 binds to the interleukin 6 (IL-6) promoter to increase the production of the cytokine IL-6 in RAW264.7 cells. IL-6 acts in an autocrine fashion to skew RAW264.7 macrophage cell differentiation into M2d macrophages. These findings open new insights into how to reverse M2d macrophage-induced immune tolerance to improve the efficacy of immunotherapeutic approaches.',
  },
  {
    id: '169264',
    title: 'Analysis of SiO2 nanoparticles binding proteins in rat blood and brain homogenate',
    text: 'A multitude of nanoparticles, such as titanium oxide (TiO2), zinc oxide, aluminum oxide, gold oxide, silver oxide, iron oxide, and silica oxide, are found in many chemical, cosmetic, pharmaceutical, and electronic products. Recently, SiO2 nanoparticles were shown to have an inert toxicity profile and no association with an irreversible toxicological change in animal models. Hence, exposure to SiO2 nanoparticles is on the increase. SiO2 nanoparticles are routinely used in numerous materials, from strengthening filler for concrete and other construction composites, to nontoxic platforms for biomedical application, such as drug delivery and theragnostics. On the other hand, recent in vitro experiments indicated that SiO2 nanoparticles were cytotoxic. Therefore, we investigated these nanoparticles to identify potentially toxic pathways by analyzing the adsorbed protein corona on the surface of SiO2 nanoparticles in the blood and brain of the rat. Four types of SiO2 nanoparticles were chosen for investigation, and the protein corona of each type was analyzed using liquid chromatography-tandem mass spectrometry technology. In total, 115 and 48 plasma proteins from the rat were identified',
  },
  {
    id: '175735',
    title: 'Inferring nucleosome positions with their histone mark annotation from ChIP data',
    text: 'MOTIVATION The nucleosome is the basic repeating unit of chromatin. It contains two copies each of the four core histones H2A, H2B, H3 and H4 and about 147 bp of DNA. The residues of the histone proteins are subject to numerous post-translational modifications, such as methylation or acetylation. Chromatin immunoprecipitiation followed by sequencing (ChIP-seq) is a technique that provides genome-wide occupancy data of these modified histone proteins, and it requires appropriate computational methods. RESULTS We present NucHunter, an algorithm that uses the data from ChIP-seq experiments directed against many histone modifications to infer positioned nucleosomes. NucHunter annotates each of these nucleosomes with the intensities of the histone modifications. We demonstrate that these annotations can be used to infer nucleosomal states with distinct correlations to underlying genomic features and chromatin-related processes, such as transcriptional start sites, enhancers, elongation by RNA polymerase II and chromatin-mediated repression. Thus, NucHunter is a versatile tool that can be used to predict positioned nucleosomes from a panel of histone modification ChIP-seq experiments and',
  },
  {
    id: '188911',
    title:
      'Generation of large numbers of dendritic cells from mouse bone marrow cultures supplemented with granulocyte/macrophage colony-stimulating factor',
    text: 'Antigen-presenting, major histocompatibility complex (MHC) class II-rich dendritic cells are known to arise from bone marrow. However, marrow lacks mature dendritic cells, and substantial numbers of proliferating less-mature cells have yet to be identified. The methodology for inducing dendritic cell growth that was recently described for mouse blood now has been modified to MHC class II-negative precursors in marrow. A key step is to remove the majority of nonadherent, newly formed granulocytes by gentle washes during the first 2-4 d of culture. This leaves behind proliferating clusters that are loosely attached to a more firmly adherent "stroma. " At days 4-6 the clusters can be dislodged, isolated by 1-g sedimentation, and upon reculture, large numbers of dendritic cells are released. The latter are readily identified on the basis of their distinct cell shape, ultrastructure, and repertoire of antigens, as detected with a panel of monoclonal antibodies. The dendritic cells express high levels of MHC class II products and act as powerful accessory cells for initiating the mixed leukocyte reaction. Neither the clusters nor mature dendritic cells are generated if macrophage colony-',
  },
  {
    id: '195352',
    title: 'Insulin action and resistance in obesity and type 2 diabetes',
    text: "Nutritional excess is a major forerunner of type 2 diabetes. It enhances the secretion of insulin, but attenuates insulin's metabolic actions in the liver, skeletal muscle and adipose tissue. However, conflicting evidence indicates a lack of knowledge of the timing of these events during the development of obesity and diabetes, pointing to a key gap in our understanding of metabolic disease. This Perspective reviews alternate viewpoints and recent results on the temporal and mechanistic connections between hyperinsulinemia, obesity and insulin resistance. Although much attention has addressed early steps in the insulin signaling cascade, insulin resistance in obesity seems to be largely elicited downstream of these steps. New findings also connect insulin resistance to extensive metabolic cross-talk between the liver, adipose tissue, pancreas and skeletal muscle. These and other advances over the past 5 years offer exciting opportunities and daunting challenges for the development of new therapeutic strategies for the treatment of type 2 diabetes.",
  },
  {
    id: '202259',
    title:
      'Effect of lowering blood pressure on cardiovascular events and mortality in patients on dialysis: a systematic review and meta-analysis of randomised controlled trials',
    text: 'BACKGROUND Patients undergoing dialysis have a substantially increased risk of cardiovascular mortality and morbidity. Although several trials have shown the cardiovascular benefits of lowering blood pressure in the general population, there is uncertainty about the efficacy and tolerability of reducing blood pressure in patients on dialysis. We did a systematic review and meta-analysis to assess the effect of blood pressure lowering in patients on dialysis. METHODS We systematically searched Medline, Embase, and the Cochrane Library database for trials reported between 1950 and November, 2008, without language restriction. We extracted a standardised dataset from randomised controlled trials of blood pressure lowering in patients on dialysis that reported cardiovascular outcomes. Meta-analysis was done with a random effects model. FINDINGS We identified eight relevant trials, which provided data for 1679 patients and 495 cardiovascular events. Weighted mean systolic blood pressure was 4.5 mm Hg lower and diastolic blood pressure 2.3 mm Hg lower in actively treated patients than in controls. Blood pressure lowering treatment was associated with lower risks of cardiovascular events ',
  },
  {
    id: '207972',
    title:
      'Interaction of an adenovirus E3 14.7-kilodalton protein with a novel tumor necrosis factor alpha-inducible cellular protein containing leucine zipper domains.',
    text: 'Early region 3 (E3) of group C human adenoviruses (Ad) encodes several inhibitors of tumor necrosis factor alpha (TNF-alpha) cytolysis, including an E3 14.7-kDa protein (E3-14.7K) and a heterodimer containing two polypeptides of 10.4 and 14.5 kDa. To understand the mechanism by which the viral proteins inhibit TNF-alpha functions, the E3-14.7K protein was used to screen a HeLa cell cDNA library to search for interacting proteins in the yeast two-hybrid system. A novel protein containing multiple leucine zipper domains without any significant homology with any known protein was identified and has been named FIP-2 (for 14.7K-interacting protein). FIP-2 interacted with E3-14.7K both in vitro and in vivo. It colocalized with Ad E3-14.7K in the cytoplasm, especially near the nuclear membrane, and caused redistribution of the viral protein. FIP-2 by itself does not cause cell death; however, it can reverse the protective effect of E3-14.7K on cell killing induced by overexpression of the intracellular domain of the 55-kDa TNF receptor or by RIP, a death protein involved in the TNF-alpha and Fas apoptosis pathways. Deletion analysis indicates that the reversal effect of FIP-2 depends on i',
  },
  {
    id: '213017',
    title:
      'PML induces compaction, TRF2 depletion and DNA damage signaling at telomeres and promotes their alternative lengthening.',
    text: 'The alternative lengthening of telomeres (ALT) mechanism allows cancer cells to escape senescence and apoptosis in the absence of active telomerase. A characteristic feature of this pathway is the assembly of ALT-associated promyelocytic leukemia (PML) nuclear bodies (APBs) at telomeres. Here, we dissected the role of APBs in a human ALT cell line by performing an RNA interference screen using an automated 3D fluorescence microscopy platform and advanced 3D image analysis. We identified 29 proteins that affected APB formation, which included proteins involved in telomere and chromatin organization, protein sumoylation and DNA repair. By integrating and extending these findings, we found that APB formation induced clustering of telomere repeats, telomere compaction and concomitant depletion of the shelterin protein TRF2 (also known as TERF2). These APB-dependent changes correlated with the induction of a DNA damage response at telomeres in APBs as evident by a strong enrichment of the phosphorylated form of the ataxia telangiectasia mutated (ATM) kinase. Accordingly, we propose that APBs promote telomere maintenance by inducing a DNA damage response in ALT-positive tumor cells throu',
  },
  {
    id: '219475',
    title:
      'Gr-1+CD11b+ myeloid cells tip the balance of immune protection to tumor promotion in the premetastatic lung.',
    text: 'The mechanisms by which a primary tumor affects a selected distant organ before tumor cell arrival remain to be elucidated. This report shows that Gr-1+CD11b+ cells are significantly increased in lungs of mice bearing mammary adenocarcinomas before tumor cell arrival. In the premetastatic lungs, these immature myeloid cells significantly decrease IFN-gamma production and increase proinflammatory cytokines. In addition, they produce large quantities of matrix metalloproteinase 9 (MMP9) and promote vascular remodeling. Deletion of MMP9 normalizes aberrant vasculature in the premetastatic lung and diminishes lung metastasis. The production and activity of MMP9 is selectively restricted to lungs and organs with a large number of Gr-1+CD11b+ cells. Our work reveals a novel protumor mechanism for Gr-1+CD11b+ cells that changes the premetastatic lung into an inflammatory and proliferative environment, diminishes immune protection, and promotes metastasis through aberrant vasculature formation. Thus, inhibition of Gr-1+CD11b+ cells could normalize the premetastatic lung environment, improve host immunosurveillance, and inhibit tumor metastasis.',
  },
  {
    id: '226488',
    title: 'Activin/Nodal signalling in stem cells.',
    text: 'Activin/Nodal growth factors control a broad range of biological processes, including early cell fate decisions, organogenesis and adult tissue homeostasis. Here, we provide an overview of the mechanisms by which the Activin/Nodal signalling pathway governs stem cell function in these different stages of development. We describe recent findings that associate Activin/Nodal signalling to pathological conditions, focusing on cancer stem cells in tumorigenesis and its potential as a target for therapies. Moreover, we will discuss future directions and questions that currently remain unanswered on the role of Activin/Nodal signalling in stem cell self-renewal, differentiation and proliferation.',
  },
];

export const SCIFACT_QUERIES: readonly { id: string; text: string }[] = [
  {
    id: '1',
    text: '0-dimensional biomaterials show inductive properties.',
  },
  {
    id: '3',
    text: '1,000 genomes project enables mapping of genetic sequence variation consisting of rare variants with larger penetrance effects than common variants.',
  },
  {
    id: '5',
    text: '1/2000 in UK have abnormal PrP positivity.',
  },
  {
    id: '13',
    text: '5% of perinatal mortality is due to low birth weight.',
  },
  {
    id: '36',
    text: 'A deficiency of vitamin B12 increases blood levels of homocysteine.',
  },
  {
    id: '42',
    text: 'A high microerythrocyte count raises vulnerability to severe anemia in homozygous alpha (+)- thalassemia trait subjects.',
  },
  {
    id: '48',
    text: 'A total of 1,000 people in the UK are asymptomatic carriers of vCJD infection.',
  },
  {
    id: '49',
    text: 'ADAR1 binds to Dicer to cleave pre-miRNA.',
  },
];

export const SCIFACT_QRELS: readonly [string, string][] = [
  ['1', '31715818'],
  ['3', '14717500'],
  ['5', '13734012'],
  ['13', '1606628'],
  ['36', '5152028'],
  ['36', '11705328'],
  ['42', '18174210'],
  ['48', '13734012'],
  ['49', '5953485'],
];
